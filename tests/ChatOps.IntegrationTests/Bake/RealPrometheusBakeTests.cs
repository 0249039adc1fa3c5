using ChatOps.Core.Bake;
using ChatOps.Host.PrometheusQueries;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Bake;

// The bake's queries evaluated by the real engine over real scrapes of the simulated proxy metrics.
public sealed class RealPrometheusBakeTests(BakeWorld world) : IClassFixture<BakeWorld>
{
    private Task<BakeReport> BakeAsync(string app, BakeSettings? settings = null) =>
        new BakeAnalysis(world.Metrics).EvaluateAsync([new BakeTarget("api", app)], settings ?? world.Settings, world.Window, CancellationToken.None);

    [Fact]
    public async Task A_healthy_release_passes_its_bake()
    {
        var report = await BakeAsync(BakeWorld.Healthy);

        Assert.True(report.Verdict == BakeVerdict.Passed, string.Join("; ", report.Findings.Select(f => f.Detail)));
        Assert.Matches(@"^5xx \d+\.\d % \(before \d+\.\d %\) · p95 \d+ ms \(before \d+ ms\) · [\d,]+ requests$", Assert.Single(report.Figures));
    }

    [Fact]
    public async Task A_bad_tag_fails_its_bake_on_both_its_5xx_and_its_p95()
    {
        var report = await BakeAsync(BakeWorld.Bad);

        Assert.Equal(BakeVerdict.Failed, report.Verdict);
        Assert.Equal(
            [BuiltInChecks.ErrorRatio, BuiltInChecks.Latency],
            report.Findings.Where(f => f.Verdict == BakeVerdict.Failed).Select(f => f.Check));
        Assert.Contains("allowed", report.Reason);
    }

    [Fact]
    public async Task A_quiet_environment_is_inconclusive_and_says_how_little_traffic_it_had()
    {
        var report = await BakeAsync(BakeWorld.Quiet);

        Assert.Equal(BakeVerdict.Inconclusive, report.Verdict);
        Assert.Contains("not enough traffic to judge", report.Reason);
    }

    [Fact]
    public async Task NaN_from_the_real_engine_is_read_as_NaN_and_never_passes()
    {
        var p95 = BakeQueries.P95(BakeWorld.Stopped, world.Window.Range);

        var answer = await world.Metrics.QueryAsync(p95, world.Window.Now, CancellationToken.None);
        var check = new BakeCheckSettings { Name = "p95", Query = p95, Compare = BakeSettings.Absolute, Limit = 1, MinRequests = 0 };
        var report = await BakeAsync(BakeWorld.Stopped, new BakeSettings { BuiltInChecks = false, MinRequests = 0, Checks = [check] });

        Assert.True(double.IsNaN(Assert.Single(answer.Samples).Value));
        Assert.Equal(BakeVerdict.Inconclusive, report.Verdict);
        Assert.Contains("NaN", report.Reason);
    }

    [Fact]
    public async Task A_query_that_matches_no_series_is_empty_and_never_passes()
    {
        var check = new BakeCheckSettings { Name = "queue", Query = "max(no_such_metric{app=\"{app}\"})", Compare = BakeSettings.Absolute, Limit = 1, MinRequests = 0 };

        var report = await BakeAsync(BakeWorld.Healthy, new BakeSettings { BuiltInChecks = false, Checks = [check] });

        Assert.Equal(BakeVerdict.Inconclusive, report.Verdict);
        Assert.Equal("api: queue unknown: no series", report.Reason);
    }

    [Fact]
    public async Task A_query_prometheus_cannot_parse_is_answered_at_once_with_its_reason()
    {
        var answer = await world.Metrics.QueryAsync("sum(", world.Window.Now, CancellationToken.None);

        Assert.False(answer.Succeeded);
        Assert.StartsWith("Prometheus refused the query: bad_data:", answer.Error);
        Assert.DoesNotContain(world.Logs.Lines, l => l.Contains("Retrying", StringComparison.Ordinal) && l.Contains("/api/v1/query", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_range_query_returns_the_series_over_time()
    {
        await using var clients = world.ClientsFor(world.Prometheus.Url);
        var client = clients.GetRequiredService<PrometheusClient>();

        var series = await client.QueryRangeAsync(
            BakeQueries.Requests(BakeWorld.Healthy, "5s"), world.Window.BakeStartedAt, world.Window.Now, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.True(Assert.Single(series).Points.Count >= 5);
    }

    [Fact]
    public async Task The_sandbox_prometheus_reaches_the_verdicts_the_real_engine_reaches()
    {
        await using var sandboxClients = world.ClientsFor(world.Sandbox.PrometheusUrl);
        var analysis = new BakeAnalysis(sandboxClients.Metrics());

        var verdicts = new List<BakeVerdict>();
        foreach (var app in new[] { BakeWorld.Healthy, BakeWorld.Bad, BakeWorld.Quiet })
            verdicts.Add((await analysis.EvaluateAsync([new BakeTarget("api", app)], world.Settings, world.Window, CancellationToken.None)).Verdict);

        Assert.Equal([BakeVerdict.Passed, BakeVerdict.Failed, BakeVerdict.Inconclusive], verdicts);
    }
}
