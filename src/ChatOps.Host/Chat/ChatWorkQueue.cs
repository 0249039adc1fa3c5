using ChatOps.Core.Releases;

namespace ChatOps.Host.Chat;

/// <summary>
/// Chat work after it was received, handled concurrently and bounded. Commands of one lane (one chat) run in the
/// order they came, at most <c>commandWorkers</c> commands at once across lanes; a button press has no lane and
/// takes no command slot, so it never waits behind a slow command. At shutdown it stops taking work, lets what it
/// took finish for a grace period, then cancels the rest and says so through each item's <c>lost</c> callback.
/// </summary>
public sealed class ChatWorkQueue(string name, int capacity, int commandWorkers, ILogger log)
{
    private static readonly TimeSpan LostTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task> _laneTails = [];
    private readonly HashSet<Task> _all = [];
    private readonly SemaphoreSlim _commandSlots = new(commandWorkers, commandWorkers);
    private readonly CancellationTokenSource _stop = new();
    private bool _closed;

    public int Pending
    {
        get
        {
            lock (_gate)
                return _all.Count;
        }
    }

    /// <summary>
    /// Queues the work behind the earlier work of <paramref name="lane"/> (null: a button press, run at once). Returns
    /// a task that completes when the work ended, never faulting; null when the queue is full or stopping.
    /// </summary>
    public Task? TryEnqueue(string? lane, string what, Func<CancellationToken, Task> work, Func<CancellationToken, Task>? lost = null)
    {
        lock (_gate)
        {
            if (_closed || _all.Count >= capacity)
                return null;
            var after = lane is not null && _laneTails.TryGetValue(lane, out var tail) ? tail : Task.CompletedTask;
            var task = RunAsync(after, lane is not null, what, work, lost);
            _all.Add(task);
            if (lane is not null)
                _laneTails[lane] = task;
            task.ContinueWith(done => Forget(done, lane), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return task;
        }
    }

    /// <summary>Stops taking work; what was taken may finish within <paramref name="grace"/>, the rest is cancelled and said lost.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        Task[] all;
        lock (_gate)
        {
            _closed = true;
            all = [.. _all];
        }
        var done = Task.WhenAll(all);
        try
        {
            await done.WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            log.LogWarning("{Queue}: {Count} requests were still running at shutdown; cancelling them", name, all.Count(t => !t.IsCompleted));
            await _stop.CancelAsync();
            try
            {
                await done.WaitAsync(LostTimeout * 2);
            }
            catch (TimeoutException)
            {
                log.LogWarning("{Queue}: some requests did not stop when cancelled", name);
            }
        }
    }

    private async Task RunAsync(Task after, bool command, string what, Func<CancellationToken, Task> work, Func<CancellationToken, Task>? lost)
    {
        // Off the caller's thread and lock: the work may be slow, and it may queue more work.
        await Task.Yield();
        await after;
        try
        {
            if (command)
                await _commandSlots.WaitAsync(_stop.Token);
            try
            {
                _stop.Token.ThrowIfCancellationRequested();
                await work(_stop.Token);
            }
            finally
            {
                if (command)
                    _commandSlots.Release();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            await SayLostAsync(what, lost);
        }
        catch (Exception e)
        {
            log.LogError(e, "{Queue}: {Work} failed", name, what);
        }
    }

    private async Task SayLostAsync(string what, Func<CancellationToken, Task>? lost)
    {
        log.LogWarning("{Queue}: {Work} was not finished before shutdown", name, what);
        if (lost is null)
            return;
        using var timeout = new CancellationTokenSource(LostTimeout);
        try
        {
            await lost(timeout.Token);
        }
        catch (Exception e)
        {
            log.LogWarning("{Queue}: could not say that {Work} was lost: {Error}", name, what, e.Message);
        }
    }

    // A lane is dropped once its last work ended, so lanes do not pile up for every chat ever seen.
    private void Forget(Task done, string? lane)
    {
        lock (_gate)
        {
            _all.Remove(done);
            if (lane is not null && _laneTails.TryGetValue(lane, out var tail) && tail == done)
                _laneTails.Remove(lane);
        }
    }
}
