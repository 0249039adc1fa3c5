namespace ChatOps.IntegrationTests.Harness;

/// <summary>
/// Waiting for something the bot does in the background. A timeout names what was awaited and what was last
/// seen, because "timed out" alone sends the reader back to run the test again with logging on.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultPoll = TimeSpan.FromMilliseconds(50);

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string>? scene = null) =>
        MatchesAsync(_ => Task.FromResult(condition()), done => done, timeout, what, _ => "still false", scene);

    /// <summary>Polls until the probe finds something, and returns it.</summary>
    public static async Task<T> FoundAsync<T>(Func<T?> probe, TimeSpan timeout, string what, Func<string>? scene = null)
        where T : class =>
        (await MatchesAsync(_ => Task.FromResult(probe()), found => found is not null, timeout, what, scene: scene))!;

    /// <summary>
    /// Observes until an observation satisfies <paramref name="done"/>, and returns that observation. The token
    /// given to <paramref name="observe"/> ends with the timeout, so a hung observation fails the same way.
    /// </summary>
    public static async Task<T> MatchesAsync<T>(
        Func<CancellationToken, Task<T>> observe,
        Func<T, bool> done,
        TimeSpan timeout,
        string what,
        Func<T, string>? describe = null,
        Func<string>? scene = null,
        TimeSpan? poll = null)
    {
        using var limit = new CancellationTokenSource(timeout);
        var last = "nothing yet";
        try
        {
            while (true)
            {
                var seen = await observe(limit.Token);
                if (done(seen))
                    return seen;
                last = describe is null ? seen?.ToString() ?? "null" : describe(seen);
                await Task.Delay(poll ?? DefaultPoll, limit.Token);
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            // Falls through to the failure below, which says more than the cancellation does.
        }
        var shown = scene is null ? "" : $"\n{scene()}";
        throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what}. Last seen: {last}{shown}");
    }
}
