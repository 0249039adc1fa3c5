using System.Globalization;

namespace ChatOps.Sandbox;

public enum FaultKind
{
    /// <summary>429 with a Retry-After: not done, come back later.</summary>
    RateLimited,

    /// <summary>A 5xx answered at once.</summary>
    ServerError,

    /// <summary>No answer until the client gives up on the attempt.</summary>
    Timeout,
}

/// <summary>
/// One fault drawn for one call: its kind, the status it answers with (if the client is still there), and for a 429
/// the whole seconds of its Retry-After.
/// </summary>
public sealed record DrawnFault(FaultKind Kind, int StatusCode, int RetryAfterSeconds)
{
    public string RetryAfterHeader => RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Seeded random faults for a fault suite: every call to a simulator that consults this fails with probability
/// <see cref="Rate"/>, before the call does any work, as a 429 with Retry-After, a 5xx, or a hang that outlasts the
/// client's per-attempt timeout. One instance can be shared by the GitHub, Fly, Telegram and Slack simulators, so one
/// seed drives them all; it counts what it injected by system and kind. Which calls fail depends on the order calls
/// arrive in, so a run is reproducible in its rate and mix, not call for call.
/// </summary>
public sealed class RandomFaults(int seed, double rate)
{
    public const string GitHub = "github";
    public const string Fly = "fly";
    public const string Telegram = "telegram";
    public const string Slack = "slack";

    private static readonly int[] ServerErrors = [500, 502, 503];

    private readonly Lock _gate = new();
    private readonly Random _random = new(seed);
    private readonly Dictionary<(string System, FaultKind Kind), int> _injected = [];
    private volatile bool _enabled = true;

    public int Seed => seed;

    public double Rate => rate;

    /// <summary>
    /// The share of 429s that ask the client to wait a second; the others say <c>Retry-After: 0</c>. Both are real
    /// answers, and a suite of many releases stays bounded when most waits are short.
    /// </summary>
    public double LongRetryAfterShare { get; init; } = 0.1;

    /// <summary>The share of faults that hang (where a call may hang); the rest split evenly between 429 and 5xx.</summary>
    public double HangShare { get; init; } = 0.15;

    /// <summary>The longest a hang lasts when the client never gives up (it should, at its per-attempt timeout).</summary>
    public TimeSpan HangLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Off: every call passes (a suite starts its hosts, then turns the faults on).</summary>
    public bool Enabled
    {
        get => _enabled;
        set => _enabled = value;
    }

    public IReadOnlyDictionary<(string System, FaultKind Kind), int> Injected
    {
        get
        {
            lock (_gate)
                return new Dictionary<(string System, FaultKind Kind), int>(_injected);
        }
    }

    public int Total
    {
        get
        {
            lock (_gate)
                return _injected.Values.Sum();
        }
    }

    public int CountOf(string system, FaultKind kind)
    {
        lock (_gate)
            return _injected.GetValueOrDefault((system, kind));
    }

    /// <summary>A fault for this call, or null to let it through.</summary>
    /// <param name="mayHang">False for calls whose client waits longer on purpose (long polls, Fly's /wait and exec).</param>
    public DrawnFault? Draw(string system, bool mayHang = true)
    {
        if (!_enabled)
            return null;
        lock (_gate)
        {
            if (_random.NextDouble() >= rate)
                return null;
            var kind = mayHang && _random.NextDouble() < HangShare ? FaultKind.Timeout : (FaultKind)_random.Next(2);
            var status = kind switch
            {
                FaultKind.RateLimited => 429,
                FaultKind.ServerError => ServerErrors[_random.Next(ServerErrors.Length)],
                _ => 504,
            };
            var retryAfter = kind == FaultKind.RateLimited && _random.NextDouble() < LongRetryAfterShare ? 1 : 0;
            _injected[(system, kind)] = _injected.GetValueOrDefault((system, kind)) + 1;
            return new DrawnFault(kind, status, retryAfter);
        }
    }

    /// <summary>Holds a call until its client gives up (the request is aborted) or <see cref="HangLimit"/> passes.</summary>
    public async Task HangAsync(CancellationToken aborted)
    {
        try
        {
            await Task.Delay(HangLimit, aborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, as it should.
        }
    }

    /// <summary>The figures in one line each per system, e.g. <c>github: 12 (429 ×4, 5xx ×5, timeout ×3)</c>.</summary>
    public IReadOnlyList<string> Figures()
    {
        var injected = Injected;
        return [.. injected.Keys.Select(k => k.System).Distinct().Order(StringComparer.Ordinal).Select(system =>
        {
            int Of(FaultKind kind) => injected.GetValueOrDefault((system, kind));
            var total = Of(FaultKind.RateLimited) + Of(FaultKind.ServerError) + Of(FaultKind.Timeout);
            return $"{system}: {total} (429 ×{Of(FaultKind.RateLimited)}, 5xx ×{Of(FaultKind.ServerError)}, timeout ×{Of(FaultKind.Timeout)})";
        })];
    }
}
