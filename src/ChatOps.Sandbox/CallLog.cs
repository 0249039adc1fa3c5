namespace ChatOps.Sandbox;

/// <summary>One call the bot made to a simulator, timed from its arrival to its answer (simulated latency included).</summary>
public sealed record SimulatedCall(string System, string Method, string Path, int Status, DateTimeOffset Start, TimeSpan Duration)
{
    public DateTimeOffset End => Start + Duration;
}

/// <summary>
/// Every call to the simulators, in the order they ended, so a bench can lay a release's calls on a time line
/// and compare it with the shortest one the runbook allows.
/// </summary>
public sealed class CallLog
{
    private readonly Lock _gate = new();
    private readonly List<SimulatedCall> _calls = [];

    public IReadOnlyList<SimulatedCall> Calls
    {
        get
        {
            lock (_gate)
                return [.. _calls];
        }
    }

    public void Clear()
    {
        lock (_gate)
            _calls.Clear();
    }

    internal async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var start = DateTimeOffset.UtcNow;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var path = context.Request.Path.Value ?? "";
            var system = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            var call = new SimulatedCall(system, context.Request.Method, path, context.Response.StatusCode, start,
                System.Diagnostics.Stopwatch.GetElapsedTime(started));
            lock (_gate)
                _calls.Add(call);
        }
    }
}

/// <summary>The profile's time for each kind of call, spent before the call is answered.</summary>
internal sealed class LatencyGate(SandboxOptions options)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var latency = options.Latencies;
        var path = context.Request.Path;
        var delay = path.StartsWithSegments("/github") ? latency.GitHubApi
            : path.StartsWithSegments("/fly") ? latency.FlyApi
            : path.StartsWithSegments("/services") ? latency.Probe
            : TimeSpan.Zero;
        if (delay > TimeSpan.Zero)
            await Task.Delay(delay, context.RequestAborted);
        await next(context);
    }
}
