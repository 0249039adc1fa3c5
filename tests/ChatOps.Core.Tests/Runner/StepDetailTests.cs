using ChatOps.Core.Releases;

namespace ChatOps.Core.Tests.Runner;

/// <summary>What steps say beside their cards: the chat decides where it shows (Slack: the card's thread).</summary>
public sealed class StepDetailTests : CoreScenario
{
    [Fact]
    public async Task Each_machine_is_told_as_it_lands_and_a_failed_step_says_its_error_whole()
    {
        Core.Fleet.BrokenTags.TryAdd("v1.1.0", 0);
        await SayAsync(Alice, "/release v1.1.0");
        await SayAsync(Bob, "/approve 1");
        await Core.WhenIdleAsync();

        var release = await ReleaseAsync(1);
        var details = Core.Surface.Details.ToList();
        Assert.Equal(ReleaseState.Failed, release.State);
        Assert.All(details, d => Assert.Equal(1, d.ReleaseId));
        foreach (var (machine, _) in Core.Fleet.Updates)
            Assert.Single(details, d => d.Step == "Deploy" && d.Text.Contains($"machine {machine} (", StringComparison.Ordinal) && d.Text.EndsWith("on v1.1.0, started and healthy", StringComparison.Ordinal));
        var error = Assert.Single(details, d => d.IsError);
        Assert.Equal("Verify", error.Step);
        Assert.Equal($"failed: {release.Error}", error.Text);
    }

    [Fact]
    public async Task The_migration_console_is_told_with_its_exit_code()
    {
        await SayAsync(Alice, "/release v1.1.0");
        await SayAsync(Bob, "/approve 1");
        await Core.WhenIdleAsync();

        var console = Assert.Single(Core.Surface.Details, d => d.Step == "Migrate" && d.Output is not null);
        Assert.Matches("^`.+` exited 0$", console.Text);
        Assert.DoesNotContain(Core.Surface.Details, d => d.IsError);
    }
}
