using ChatOps.Core.Bake;

namespace ChatOps.Core.Tests.Bake;

public sealed class BakeAnalysisTests
{
    private static readonly BakeWindow Window = Answers.TenMinutes;
    private static readonly BakeTarget Api = new("api", "my-api");

    [Fact]
    public async Task The_baseline_is_the_same_query_over_the_same_length_when_the_deploy_started()
    {
        var metrics = new FakeMetrics()
            .Answer(BakeQueries.Requests("my-api", "600s"), Window.Now, "1842").Answer(BakeQueries.Errors("my-api", "600s"), Window.Now, "7")
            .Answer(BakeQueries.P95("my-api", "600s"), Window.Now, "0.212")
            .Answer(BakeQueries.Requests("my-api", "600s"), Window.DeployStartedAt, "1700").Answer(BakeQueries.Errors("my-api", "600s"), Window.DeployStartedAt, "5")
            .Answer(BakeQueries.P95("my-api", "600s"), Window.DeployStartedAt, "0.190");

        var report = await new BakeAnalysis(metrics).EvaluateAsync([Api], new BakeSettings(), Window, CancellationToken.None);

        Assert.Equal(BakeVerdict.Passed, report.Verdict);
        Assert.Equal(["5xx 0.4 % (before 0.3 %) · p95 212 ms (before 190 ms) · 1,842 requests"], report.Figures);
    }

    [Fact]
    public async Task A_metrics_store_that_answers_nothing_never_passes_a_bake()
    {
        var report = await new BakeAnalysis(new FakeMetrics()).EvaluateAsync([Api], new BakeSettings(), Window, CancellationToken.None);

        Assert.Equal(BakeVerdict.Inconclusive, report.Verdict);
        Assert.Equal(["5xx n/a (before n/a) · p95 n/a (before n/a) · n/a requests"], report.Figures);
    }

    [Fact]
    public async Task A_refused_query_is_inconclusive_and_says_what_the_store_answered()
    {
        var check = new BakeCheckSettings { Name = "queue", Query = "max(queue_depth", Compare = "absolute", Limit = 5, MinRequests = 0 };
        var metrics = new FakeMetrics().Answer(BakeQueries.Requests("my-api", "600s"), Window.Now, "1842");

        var report = await new BakeAnalysis(metrics).EvaluateAsync([Api], new BakeSettings { BuiltInChecks = false, Checks = [check] }, Window, CancellationToken.None);

        Assert.Equal(BakeVerdict.Inconclusive, report.Verdict);
        Assert.Contains("queue unknown: the query failed: bad_data", report.Reason);
    }

    [Fact]
    public async Task An_environment_wide_check_is_judged_on_the_requests_of_every_service()
    {
        var check = new BakeCheckSettings { Name = "queue", Query = "max(queue_depth)", Compare = "absolute", Limit = 5, MinRequests = 150 };
        var metrics = new FakeMetrics()
            .Answer(BakeQueries.Requests("my-api", "600s"), Window.Now, "100").Answer(BakeQueries.Requests("my-worker", "600s"), Window.Now, "100")
            .Answer("max(queue_depth)", Window.Now, "7");

        var report = await new BakeAnalysis(metrics).EvaluateAsync(
            [Api, new BakeTarget("worker", "my-worker")], new BakeSettings { BuiltInChecks = false, Checks = [check] }, Window, CancellationToken.None);

        Assert.Equal(BakeVerdict.Failed, report.Verdict);
        Assert.Equal("queue 7, limit 5: 2 over", report.Reason);
        Assert.Equal(["200 requests"], report.Figures);
    }

    // The metrics store as a table of answers; a query it does not know is refused, as Prometheus refuses a bad one.
    private sealed class FakeMetrics : IMetricsQuery
    {
        private readonly Dictionary<(string, DateTimeOffset), MetricsAnswer> _answers = [];

        public FakeMetrics Answer(string query, DateTimeOffset at, string cell)
        {
            _answers[(query, at)] = Answers.Of(cell);
            return this;
        }

        public Task<MetricsAnswer> QueryAsync(string query, DateTimeOffset at, CancellationToken cancellationToken) =>
            Task.FromResult(_answers.GetValueOrDefault((query, at)) ?? MetricsAnswer.Failed("bad_data: unknown query"));
    }
}
