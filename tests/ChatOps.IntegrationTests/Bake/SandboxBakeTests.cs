using ChatOps.Core.Releases;
using ChatOps.IntegrationTests.Harness;

namespace ChatOps.IntegrationTests.Bake;

/// <summary>
/// The whole bot in the sandbox: a release rests in its bake, the sweep wakes it, the real Prometheus client asks the
/// sandbox's Prometheus endpoint, whose figures come from the simulated traffic following each machine's image.
/// Seconds instead of minutes here, since this is real time; the minutes are tried on a fake clock in the core's tests.
/// </summary>
public sealed class SandboxBakeTests
{
    private static readonly TimeSpan Enough = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string?> Baking(bool autoRollback) => TestSettings.Sandbox(new Dictionary<string, string?>
    {
        ["ChatOps:Environments:production:Bake:Duration"] = "00:00:09",
        ["ChatOps:Environments:production:Bake:Interval"] = "00:00:03",
        ["ChatOps:Environments:production:Bake:MinRequests"] = "20",
        ["ChatOps:Environments:production:AutoRollback"] = autoRollback ? "true" : "false",
        ["ChatOps:Environments:production:PromoteFrom"] = "",
        ["ChatOps:SweepInterval"] = "00:00:00.500",
        ["Sandbox:Traffic:RequestsPerSecond"] = "20",
    });

    [Fact]
    public async Task A_healthy_release_is_released_when_its_bake_passes()
    {
        await using var bot = await SandboxBot.StartAsync(Baking(autoRollback: true));

        await bot.ReleaseApprovedAsync("v0.2.0");
        var baking = await bot.ReleaseAsync(1);
        var released = await EndAsync(bot);

        Assert.Equal(ReleaseState.Bake, baking.State);
        Assert.True(released.State == ReleaseState.Released, $"{released.State}: {released.Error}\n{bot.Output}");
        Assert.StartsWith("Bake passed", released.Step(nameof(ReleaseState.Bake)).Detail);
    }

    [Fact]
    public async Task A_bad_tag_fails_its_bake_and_is_rolled_back_by_itself()
    {
        await using var bot = await SandboxBot.StartAsync(Baking(autoRollback: true));

        await bot.ReleaseApprovedAsync("v0.2.1");
        var failed = await EndAsync(bot);
        await Eventually.TrueAsync(() => bot.Output.Contains("Rolled back production to v0.1.0", StringComparison.Ordinal), Enough, "the auto-rollback", () => bot.Output);

        Assert.Equal(ReleaseState.Failed, failed.State);
        Assert.Equal(ReleaseState.Bake, failed.StoppedAt);
        Assert.Contains("5xx", failed.Error);
        Assert.Contains("allowed", failed.Error);
    }

    private static Task<Release> EndAsync(SandboxBot bot) =>
        Eventually.MatchesAsync(_ => bot.ReleaseAsync(1), r => Runbook.IsFinished(r.State) || r.State == ReleaseState.NeedsAttention, Enough,
            "release #1 to end its bake", r => $"{r.State}: {r.Step(nameof(ReleaseState.Bake)).Detail}", () => bot.Output);
}
