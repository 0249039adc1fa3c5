namespace ChatOps.Sandbox;

public sealed class SandboxFaults
{
    private readonly Lock _gate = new();
    private volatile bool _failMigration;
    private PendingFaults? _fly;
    private PendingFaults? _gitHub;
    private PendingFaults? _prometheus;

    // Every Fly Machines API call waits here while it is closed.
    public SandboxHold FlyHold { get; } = new();

    // Every GitHub API call waits here while it is closed.
    public SandboxHold GitHubHold { get; } = new();

    // Seeded random faults on a share of all GitHub and Fly calls, for the fault suite; null: none.
    public RandomFaults? Random { get; set; }

    // A service running one of these image tags answers 503 on /health.
    public ConcurrentStringSet UnhealthyTags { get; } = new();

    // The next `alembic upgrade` fails the way a half-applied migration does, and applies nothing.
    public bool FailMigration
    {
        get => _failMigration;
        set => _failMigration = value;
    }

    public void FailNextFlyCalls(int count, int statusCode, TimeSpan? retryAfter = null)
    {
        lock (_gate)
        {
            _fly = new PendingFaults(count, new InjectedFault(statusCode, retryAfter));
        }
    }

    public void FailNextGitHubCalls(int count, int statusCode, TimeSpan? retryAfter = null)
    {
        lock (_gate)
        {
            _gitHub = new PendingFaults(count, new InjectedFault(statusCode, retryAfter));
        }
    }

    // The sandbox's Prometheus query endpoint answers the next calls with this status (429, 503) instead.
    public void FailNextPrometheusCalls(int count, int statusCode, TimeSpan? retryAfter = null)
    {
        lock (_gate)
        {
            _prometheus = new PendingFaults(count, new InjectedFault(statusCode, retryAfter));
        }
    }

    internal InjectedFault? TakePrometheus()
    {
        lock (_gate)
        {
            return Take(ref _prometheus);
        }
    }

    internal InjectedFault? TakeFly()
    {
        lock (_gate)
        {
            return Take(ref _fly);
        }
    }

    internal InjectedFault? TakeGitHub()
    {
        lock (_gate)
        {
            return Take(ref _gitHub);
        }
    }

    private static InjectedFault? Take(ref PendingFaults? pending)
    {
        if (pending is not { Remaining: > 0 } p)
        {
            return null;
        }

        pending = p.Remaining == 1 ? null : p with { Remaining = p.Remaining - 1 };
        return p.Fault;
    }

    private sealed record PendingFaults(int Remaining, InjectedFault Fault);
}

internal sealed record InjectedFault(int StatusCode, TimeSpan? RetryAfter)
{
    // Retry-After carries whole seconds; rounding up keeps a client from retrying early.
    public string? RetryAfterHeader => RetryAfter is { } r ? ((long)Math.Ceiling(r.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
}
