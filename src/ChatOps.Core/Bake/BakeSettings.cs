namespace ChatOps.Core.Bake;

/// <summary><c>ChatOps:Environments:&lt;env&gt;:Bake</c>: how long a release is watched after its checks, and by what.</summary>
public sealed class BakeSettings
{
    public const string Baseline = "baseline";
    public const string Absolute = "absolute";

    /// <summary>Zero: the environment has no bake, and a release is Released when its checks pass.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.Zero;

    /// <summary>Between two evaluations; never shorter than a minute, Fly's Prometheus ingests with up to a minute's delay.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The 5xx ratio and p95 latency of every service against the same window before the deploy.</summary>
    public bool BuiltInChecks { get; set; } = true;

    /// <summary>Fewer requests than this in the window (or in the window before the deploy) judge nothing: inconclusive.</summary>
    public int MinRequests { get; set; } = 100;

    /// <summary>The 5xx ratio may rise this much (0.01: one percentage point) above the one before the deploy.</summary>
    public double ErrorRatioMargin { get; set; } = 0.01;

    /// <summary>The p95 may rise this share (0.25: 25 %) above the one before the deploy…</summary>
    public double LatencyMargin { get; set; } = 0.25;

    /// <summary>…and a rise smaller than this is noise, whatever its share (5 ms to 8 ms is not a regression).</summary>
    public TimeSpan LatencyNoise { get; set; } = TimeSpan.FromMilliseconds(25);

    public List<BakeCheckSettings> Checks { get; set; } = [];

    public bool IsEnabled => Duration > TimeSpan.Zero;
}

/// <summary>
/// A check of the operator's: a query whose value, higher being worse, is compared with a limit (<c>absolute</c>) or
/// with the same query before the deploy times a factor (<c>baseline</c>: 1.5 allows half as much again). In the query,
/// <c>{app}</c> is each service's Fly app (the check then runs per service) and <c>{window}</c> the window as a PromQL
/// duration (<c>600s</c>).
/// </summary>
public sealed class BakeCheckSettings
{
    public string Name { get; set; } = "";
    public string Query { get; set; } = "";
    public string Compare { get; set; } = BakeSettings.Absolute;
    public double Limit { get; set; }

    /// <summary>Empty: the bake's own <see cref="BakeSettings.MinRequests"/>.</summary>
    public int? MinRequests { get; set; }
}
