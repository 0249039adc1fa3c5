using System.Net;
using ChatOps.Core.Releases;
using ChatOps.IntegrationTests.Harness;

namespace ChatOps.IntegrationTests.Hosting;

public sealed class HealthAndMetricsTests
{
    [Fact]
    public async Task Health_says_ok_with_the_store_and_metrics_count_releases_by_outcome()
    {
        var metricsPort = RunningHost.FreePort();
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Metrics:Port"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var http = new HttpClient { BaseAddress = bot.BaseUrl };
        await bot.ReleaseApprovedAsync("v0.2.0");

        var health = await http.GetAsync("/health");
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("\"status\":\"ok\"", await health.Content.ReadAsStringAsync());
        // The registry is process-wide and other tests release too, so the counts are at least one, not exactly one.
        Assert.Matches(@"chatops_releases_started_total\{kind=""Release"",environment=""production""\} [1-9]", metrics);
        Assert.Matches(@"chatops_releases_ended_total\{kind=""Release"",environment=""production"",state=""Released""\} [1-9]", metrics);
        Assert.Contains("chatops_step_duration_seconds_count{step=\"Deploy\",outcome=\"succeeded\"}", metrics);
    }

    [Fact]
    public async Task Metrics_answer_on_the_metrics_port_and_not_on_the_public_one()
    {
        var metricsPort = RunningHost.FreePort();
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Metrics:Port"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var http = new HttpClient();

        using var onMetricsPort = await http.GetAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"));
        using var onPublicPort = await http.GetAsync(new Uri(bot.BaseUrl, "metrics"));
        // Even a caller who writes the metrics port into the Host header is on the public port.
        using var forged = new HttpRequestMessage(HttpMethod.Get, new Uri(bot.BaseUrl, "metrics"));
        forged.Headers.Host = $"127.0.0.1:{metricsPort}";
        using var onPublicPortForged = await http.SendAsync(forged);

        Assert.Equal(HttpStatusCode.OK, onMetricsPort.StatusCode);
        Assert.Contains("chatops_", await onMetricsPort.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, onPublicPort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onPublicPortForged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(bot.BaseUrl, "health/live"))).StatusCode);
    }

    [Fact]
    public async Task A_malformed_setting_stops_the_host_with_a_line_naming_the_key()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
            await SandboxBot.StartAsync(new Dictionary<string, string?> { ["ChatOps:Environments:production:Services:0:Image"] = "registry.fly.io/api:latest" }));

        Assert.Contains("ChatOps:Environments:production:Services:0:Image must contain {tag}", failure.Message);
    }
}
