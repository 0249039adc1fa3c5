using System.Net;
using ChatOps.Core.Releases;
using ChatOps.IntegrationTests.Harness;

namespace ChatOps.IntegrationTests.Hosting;

public sealed class HealthAndMetricsTests
{
    [Fact]
    public async Task Health_says_ok_with_the_store_and_metrics_count_releases_by_outcome()
    {
        await using var bot = await SandboxBot.StartAsync();
        using var http = new HttpClient { BaseAddress = bot.BaseUrl };
        await bot.ReleaseApprovedAsync("v0.2.0");

        var health = await http.GetAsync("/health");
        var metrics = await http.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("\"status\":\"ok\"", await health.Content.ReadAsStringAsync());
        // The registry is process-wide and other tests release too, so the counts are at least one, not exactly one.
        Assert.Matches(@"chatops_releases_started_total\{kind=""Release"",environment=""production""\} [1-9]", metrics);
        Assert.Matches(@"chatops_releases_ended_total\{kind=""Release"",environment=""production"",state=""Released""\} [1-9]", metrics);
        Assert.Contains("chatops_step_duration_seconds_count{step=\"Deploy\",outcome=\"succeeded\"}", metrics);
    }

    [Fact]
    public async Task A_malformed_setting_stops_the_host_with_a_line_naming_the_key()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
            await SandboxBot.StartAsync(new Dictionary<string, string?> { ["ChatOps:Environments:production:Services:0:Image"] = "registry.fly.io/api:latest" }));

        Assert.Contains("ChatOps:Environments:production:Services:0:Image must contain {tag}", failure.Message);
    }
}
