namespace ChatOps.Sandbox;

/// <summary>
/// Fly's proxy counts, simulated: every second each serving machine answers its share of the steady load as the image it
/// runs at that moment behaves, and the counts go on per machine (the `/metrics` the tests' Prometheus scrapes) and per
/// app with one snapshot a second (what the sandbox's own query endpoint answers from). Counters only grow: the proxy
/// counts, not the machine, so an update in place keeps them (how Fly resets them on a restart is unconfirmed).
/// </summary>
internal sealed class ProxyCounters : IDisposable
{
    // An hour of snapshots covers a 10-minute bake and the window before its deploy, with room to spare.
    private static readonly TimeSpan Kept = TimeSpan.FromHours(1);

    // After a pause (a debugger, a starved test machine) the load does not arrive all at once.
    private static readonly TimeSpan MostAtOnce = TimeSpan.FromSeconds(10);

    // How long the apps had been serving when the sandbox started.
    private static readonly TimeSpan History = TimeSpan.FromMinutes(15);

    private readonly Lock _gate = new();
    private readonly SandboxOptions _options;
    private readonly FlyCloud _fly;
    private readonly Dictionary<(string App, string Id), MachineCounters> _machines = [];
    private readonly Dictionary<string, List<AppTotals>> _history = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AppTotals> _totals = new(StringComparer.Ordinal);
    private readonly Timer _timer;
    private DateTimeOffset _last;

    public ProxyCounters(SandboxOptions options, FlyCloud fly)
    {
        _options = options;
        _fly = fly;
        // The apps were serving before the sandbox started, as apps on Fly were before the bot: a bake's baseline (the
        // window before its deploy) finds traffic even when the first release comes a minute after the start.
        var now = DateTimeOffset.UtcNow;
        _last = now - History;
        for (var at = _last + MostAtOnce; at < now; at += MostAtOnce)
            AdvanceTo(at);
        Advance();
        _timer = new Timer(_ => Advance(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Serves the load since the last advance.</summary>
    public void Advance() => AdvanceTo(DateTimeOffset.UtcNow);

    private void AdvanceTo(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (now <= _last)
                return;
            var elapsed = Math.Min((now - _last).TotalSeconds, MostAtOnce.TotalSeconds);
            _last = now;
            var traffic = _options.Traffic;
            foreach (var app in _options.Apps.Select(a => a.FlyApp).Distinct(StringComparer.Ordinal))
            {
                var totals = _totals.TryGetValue(app, out var t) ? t : AppTotals.Empty;
                var served = new List<(int Status, double Seconds)>();
                foreach (var (id, region, image) in _fly.ServingMachines(app))
                {
                    if (!_machines.TryGetValue((app, id), out var machine))
                        _machines[(app, id)] = machine = new MachineCounters(app, id, region);
                    served.AddRange(machine.Serve(traffic.RateOf(app) * elapsed, traffic.BehaviourOf(ImageRef.Parse(image).Tag)));
                }
                _totals[app] = totals = totals.Add(served) with { At = now };
                var history = _history.TryGetValue(app, out var h) ? h : _history[app] = [];
                history.Add(totals);
                history.RemoveAll(s => s.At < now - Kept);
            }
        }
    }

    /// <summary>Every machine's counts now, for the exposition.</summary>
    public IReadOnlyList<MachineSeries> Series()
    {
        Advance();
        lock (_gate)
            return [.. _machines.Values.SelectMany(m => m.Series())];
    }

    /// <summary>The app's counts as they stood at <paramref name="at"/>: the latest snapshot not after it; null before the first.</summary>
    public AppTotals? At(string app, DateTimeOffset at)
    {
        if (at >= DateTimeOffset.UtcNow.AddSeconds(-1))
            Advance();
        lock (_gate)
            return _history.TryGetValue(app, out var history) ? history.LastOrDefault(s => s.At <= at) : null;
    }

    /// <summary>The app's first snapshot: counting began then.</summary>
    public AppTotals? First(string app)
    {
        lock (_gate)
            return _history.TryGetValue(app, out var history) && history.Count > 0 ? history[0] : null;
    }

    public void Dispose() => _timer.Dispose();
}

/// <summary>One series of the proxy's metrics: a machine's answers of one status.</summary>
internal sealed record MachineSeries(string App, string Instance, string Region, int Status, long Count, double Sum, long[] Buckets);

/// <summary>An app's counts since the sandbox started. <see cref="Buckets"/> has one more entry than the boundaries: +Inf.</summary>
internal sealed record AppTotals(DateTimeOffset At, long Requests, long Errors, long[] Buckets)
{
    public static AppTotals Empty => new(DateTimeOffset.MinValue, 0, 0, new long[LatencyModel.Buckets.Length + 1]);

    public AppTotals Add(IReadOnlyList<(int Status, double Seconds)> served)
    {
        var buckets = (long[])Buckets.Clone();
        foreach (var (_, seconds) in served)
            buckets[LatencyModel.BucketOf(seconds)]++;
        return this with { Requests = Requests + served.Count, Errors = Errors + served.Count(s => s.Status >= 500), Buckets = buckets };
    }
}
