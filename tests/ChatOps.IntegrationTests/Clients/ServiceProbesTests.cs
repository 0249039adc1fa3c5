using ChatOps.Core.Ports;
using ChatOps.Core.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ChatOps.IntegrationTests.Clients;

public sealed class ServiceProbesTests : ClientFixture
{
    private IServiceProbes Probes => Get<IServiceProbes>();

    private string Api => Sandbox.ServiceUrl("api").ToString().TrimEnd('/');

    private static readonly Dictionary<string, string> Nothing = [];

    [Fact]
    public async Task Health_and_version_probes_read_the_service()
    {
        var health = await Probes.HealthAsync($"{Api}/health", CancellationToken.None);
        var version = await Probes.VersionAsync($"{Api}/version", Sandbox.Options.ApiKey, CancellationToken.None);

        Assert.Equal(new ProbeResult(true, "ok", "200 {\"status\":\"ok\",\"service\":\"api\"}"), health);
        Assert.True(version.Ok);
        Assert.Equal(Sandbox.Options.InitialTag, version.Value);
    }

    [Fact]
    public async Task An_unhealthy_service_is_reported_with_what_it_answered()
    {
        Sandbox.Faults.UnhealthyTags.Add(Sandbox.Options.InitialTag);

        var health = await Probes.HealthAsync($"{Api}/health", CancellationToken.None);

        Assert.False(health.Ok);
        Assert.Equal("degraded", health.Value);
        Assert.StartsWith("503 {\"status\":\"degraded\"", health.Detail);
        Assert.DoesNotContain(Logs.Lines, l => l.Contains("Retrying"));
    }

    [Fact]
    public async Task A_wrong_api_key_fails_the_version_probe()
    {
        var version = await Probes.VersionAsync($"{Api}/version", "wrong", CancellationToken.None);

        Assert.False(version.Ok);
        Assert.Equal("401 {\"detail\":\"invalid api key\"}", version.Detail);
    }

    [Fact]
    public async Task The_chat_smoke_test_captures_the_run_id_that_the_run_status_test_uses()
    {
        var chat = new SmokeTestSettings
        {
            Name = "chat",
            Method = "POST",
            Url = $"{Api}/v1/chat/brendan",
            Body = "{\"user_id\":\"smoke\",\"message\":\"Make a Test Video Gen run about LangGraph\"}",
            Capture = "runId",
        };
        var status = new SmokeTestSettings
        {
            Name = "run status",
            Url = $"{Api}/v1/runs/{{runId}}",
            ExpectProperty = "status",
            ExpectValues = ["pending_workflow", "running", "published"],
        };

        var first = await Probes.SmokeAsync(chat, Sandbox.Options.ApiKey, Nothing, CancellationToken.None);
        var second = await Probes.SmokeAsync(status, Sandbox.Options.ApiKey, first.Captured, CancellationToken.None);

        Assert.True(first.Ok, first.Detail);
        Assert.StartsWith("run_", first.Captured["runId"]);
        Assert.True(second.Ok, second.Detail);
        Assert.Equal(first.Captured["runId"], second.Captured["runId"]);
    }

    [Fact]
    public async Task A_smoke_test_fails_clearly_when_its_placeholder_was_never_captured_or_the_value_is_unexpected()
    {
        var status = new SmokeTestSettings { Name = "run status", Url = $"{Api}/v1/runs/{{runId}}", ExpectProperty = "status", ExpectValues = ["published"] };

        var missing = await Probes.SmokeAsync(status, Sandbox.Options.ApiKey, Nothing, CancellationToken.None);
        var unknownRun = await Probes.SmokeAsync(status, Sandbox.Options.ApiKey, new Dictionary<string, string> { ["runId"] = "run_nope" }, CancellationToken.None);

        Assert.False(missing.Ok);
        Assert.Equal("run status: needs {runId}, which no earlier smoke test captured", missing.Detail);
        Assert.False(unknownRun.Ok);
        Assert.Contains("expected 200, got 404", unknownRun.Detail);
    }

    [Fact]
    public async Task Observability_needs_recent_prometheus_samples_and_the_named_langsmith_run()
    {
        await using var fake = await ObservabilityFake.StartAsync();
        var since = DateTimeOffset.UtcNow;
        var settings = new ObservabilitySettings
        {
            PrometheusUrl = fake.Url,
            Query = "up{app=\"myloware-api\"}",
            LangSmithUrl = fake.Url,
            LangSmithApiKey = "ls-key",
            LangSmithProject = "myloware",
            LangSmithRunName = "brendan",
        };

        var seen = await Probes.ObserveAsync(settings, since, CancellationToken.None);
        var query = fake.LastQuery;
        var unseen = await Probes.ObserveAsync(new ObservabilitySettings { PrometheusUrl = fake.Url, Query = "stale" }, since, CancellationToken.None);

        Assert.True(seen.Ok, seen.Detail);
        Assert.Equal("up{app=\"myloware-api\"}", query);
        Assert.Contains("\"filter\":\"eq(name, \\u0022brendan\\u0022)\"", fake.LastRunQuery);
        Assert.False(unseen.Ok);
        Assert.Contains("has no samples since", unseen.Detail);
    }

    // Just enough of Prometheus' query API and LangSmith's run query to answer the probe.
    private sealed class ObservabilityFake(WebApplication app, string url) : IAsyncDisposable
    {
        public string Url { get; } = url;
        public string? LastQuery { get; private set; }
        public string? LastRunQuery { get; private set; }

        public static async Task<ObservabilityFake> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            ObservabilityFake? fake = null;
            app.MapGet("/api/v1/query", (string query) =>
            {
                fake!.LastQuery = query;
                var at = DateTimeOffset.UtcNow.AddMinutes(query == "stale" ? -30 : 0).ToUnixTimeMilliseconds() / 1000.0;
                return Results.Json(new { status = "success", data = new { resultType = "vector", result = new[] { new { metric = new { app = "api" }, value = new object[] { at, "1" } } } } });
            });
            app.MapPost("/api/v1/runs/query", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                fake!.LastRunQuery = await reader.ReadToEndAsync();
                return request.Headers["x-api-key"] == "ls-key" ? Results.Json(new { runs = new[] { new { id = "r1", name = "brendan" } } }) : Results.Unauthorized();
            });
            await app.StartAsync();
            fake = new ObservabilityFake(app, app.Urls.First());
            return fake;
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
