using ChatOps.Core.Ports;
using ChatOps.IntegrationTests.Harness;

namespace ChatOps.IntegrationTests.Bake;

/// <summary>The doctor's Prometheus rows, against the sandbox's Prometheus endpoint (no database needed).</summary>
public sealed class PrometheusDoctorTests
{
    [Fact]
    public async Task Every_app_has_proxy_metrics_in_the_sandbox_prometheus()
    {
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox());

        var rows = (await CheckAsync(bot)).Where(r => r.Name.StartsWith("Prometheus", StringComparison.Ordinal)).ToList();

        Assert.True(rows.Count > 1 && rows.All(r => r.Ok), DoctorCheck.Report(rows));
        Assert.Contains(rows, r => r.Name == "Prometheus metrics of myloware-api");
    }

    [Fact]
    public async Task A_prometheus_that_keeps_failing_is_a_problem_naming_the_url_and_the_token()
    {
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox());
        bot.Sandbox.Faults.FailNextPrometheusCalls(100, 503);

        var row = (await CheckAsync(bot)).First(r => r.Name == "Prometheus");

        Assert.False(row.Ok);
        Assert.Contains("503", row.Detail);
        Assert.Contains("Prometheus:Url", row.Fix);
    }

    private static async Task<IReadOnlyList<DoctorCheck>> CheckAsync(BotHost bot)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await bot.Get<IDoctor>().CheckAsync(timeout.Token);
    }
}
