using ChatOps.Core.Bake;
using ChatOps.Host.PrometheusQueries;
using ChatOps.IntegrationTests.Clients;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Bake;

// The client against the sandbox's Prometheus endpoint: its retries, its reading of refusals, and the sandbox's own
// answers. No real Prometheus needed here.
public sealed class PrometheusClientTests : IAsyncLifetime
{
    private const string App = "myloware-api";

    private readonly LogCapture _logs = new();
    private readonly AttemptSpy _attempts = new(r => r.RequestUri?.AbsolutePath.EndsWith("/api/v1/query", StringComparison.Ordinal) == true);
    private SandboxServer _sandbox = null!;
    private ServiceProvider _clients = null!;

    private IMetricsQuery Metrics => _clients.Metrics();

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        _clients = Build();
    }

    public async Task DisposeAsync()
    {
        await _clients.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task A_prometheus_answering_503_then_429_is_asked_again_and_its_answer_used()
    {
        _sandbox.Faults.FailNextPrometheusCalls(2, 503);

        var answer = await Metrics.QueryAsync("vector(1)", DateTimeOffset.UtcNow, CancellationToken.None);
        _sandbox.Faults.FailNextPrometheusCalls(1, 429, TimeSpan.FromSeconds(1));
        var second = await Metrics.QueryAsync("vector(1)", DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.True(answer.Succeeded, answer.Error);
        Assert.Equal(1, Assert.Single(second.Samples).Value);
        Assert.Equal(5, _attempts.Count);
        // Retry-After: 1 is honoured, not the 50 ms backoff.
        Assert.Contains(_logs.Lines, l => l.Contains("Retrying GET", StringComparison.Ordinal) && l.Contains("00:00:01 (429)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_prometheus_that_keeps_failing_is_reported_as_an_answer_that_judges_nothing()
    {
        _sandbox.Faults.FailNextPrometheusCalls(100, 503);

        var answer = await Metrics.QueryAsync(BakeQueries.Requests(App, "60s"), DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal("Prometheus answered 503 Service Unavailable for GET /prometheus/api/v1/query — service unavailable", answer.Error);
        Assert.Equal(5, _attempts.Count);
        Assert.Equal(BakeVerdict.Inconclusive, BakeReport.Of([new("traffic", "api", BakeVerdict.Inconclusive, answer.Error!)], []).Verdict);
    }

    [Fact]
    public async Task A_token_prometheus_refuses_is_reported_and_not_retried()
    {
        await using var clients = Build(token: "not-the-fly-token");

        var answer = await clients.Metrics().QueryAsync("vector(1)", DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.StartsWith("Prometheus answered 401 Unauthorized", answer.Error);
        Assert.Equal(1, _attempts.Count);
    }

    [Fact]
    public async Task The_sandbox_refuses_a_query_it_does_not_know_as_prometheus_refuses_a_bad_one()
    {
        var answer = await Metrics.QueryAsync("max(queue_depth)", DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.StartsWith("Prometheus refused the query: bad_data: the sandbox's Prometheus answers only the bake's built-in queries", answer.Error);
        Assert.Equal(1, _attempts.Count);
    }

    [Fact]
    public async Task The_sandbox_answers_the_built_in_queries_from_its_own_counts()
    {
        var now = DateTimeOffset.UtcNow;

        var requests = await Metrics.QueryAsync(BakeQueries.Requests(App, "600s"), now, CancellationToken.None);
        var errors = await Metrics.QueryAsync(BakeQueries.Errors(App, "600s"), now, CancellationToken.None);
        var p95 = await Metrics.QueryAsync(BakeQueries.P95(App, "600s"), now, CancellationToken.None);
        var before = await Metrics.QueryAsync(BakeQueries.Requests(App, "60s"), now.AddHours(-1), CancellationToken.None);

        // The apps served before the sandbox started: 2 machines at 5 a second for the last 10 minutes.
        Assert.InRange(Assert.Single(requests.Samples).Value, 5000, 7000);
        Assert.InRange(Assert.Single(errors.Samples).Value / Assert.Single(requests.Samples).Value, 0.0005, 0.005); // a healthy service's few 5xx
        Assert.InRange(Assert.Single(p95.Samples).Value, 0.1, 0.25);
        Assert.Empty(before.Samples); // long before the sandbox started: no series
    }

    [Fact]
    public async Task An_app_without_traffic_has_a_nan_p95_as_prometheus_gives_it()
    {
        _sandbox.Traffic.MakeQuiet(App, 0);
        await Task.Delay(TimeSpan.FromSeconds(3.5));

        var p95 = await Metrics.QueryAsync(BakeQueries.P95(App, "2s"), DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.True(double.IsNaN(Assert.Single(p95.Samples).Value));
    }

    [Fact]
    public async Task The_proxy_metrics_are_exported_per_machine_with_flys_labels_and_buckets()
    {
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var http = new HttpClient();

        var text = await http.GetStringAsync(new Uri(_sandbox.BaseUrl, "metrics"));

        var machine = _sandbox.Fly.Machines(App)[0].Id;
        Assert.Contains("# TYPE fly_app_http_responses_count counter", text);
        Assert.Contains("# TYPE fly_app_http_response_time_seconds histogram", text);
        Assert.Contains($"fly_app_http_responses_count{{app=\"{App}\",instance=\"{machine}\",region=\"ord\",status=\"200\"}}", text);
        Assert.Contains($"fly_app_http_response_time_seconds_bucket{{app=\"{App}\",instance=\"{machine}\",region=\"ord\",status=\"200\",le=\"+Inf\"}}", text);
    }

    private ServiceProvider Build(string? token = null) =>
        MetricsClients.Build(_sandbox.PrometheusUrl, _sandbox, _logs,
            services => services.AddHttpClient(PrometheusApi.HttpClientName).AddHttpMessageHandler(_attempts.CreateHandler), token);
}
