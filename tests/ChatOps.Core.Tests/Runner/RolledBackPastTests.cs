using ChatOps.Core.Cards;
using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Runner;
using ChatOps.Core.Store;
using ChatOps.Testing;

namespace ChatOps.Core.Tests.Runner;

/// <summary>A release a rollback deliberately went back past is no longer "good": nothing later goes back to it.</summary>
public sealed class RolledBackPastTests : CoreScenario
{
    /// <summary>v1, v2, v3 released; /rollback --to v1 (#4); unlocked; v4 (#5) fails its checks after it deployed.</summary>
    private async Task RolledBackToV1ThenV4FailsAsync()
    {
        foreach (var (tag, id) in new[] { ("v1.0.1", 1L), ("v1.0.2", 2L), ("v1.0.3", 3L) })
        {
            await SayAsync(Alice, $"/release {tag}");
            await SayAsync(Bob, $"/approve {id}");
            Assert.Equal(ReleaseState.Released, (await ReleaseAsync(id)).State);
        }
        await SayConfirmedAsync(Alice, "/rollback --to v1.0.1");
        Assert.Equal(ReleaseState.RolledBack, (await ReleaseAsync(4)).State);
        await SayAsync(Alice, $"/unlock {Env}");
        Core.Fleet.BrokenTags.TryAdd("v1.0.4", 0);
        await SayAsync(Alice, "/release v1.0.4");
        await SayAsync(Bob, "/approve 5");
        Assert.Equal(ReleaseState.Failed, (await ReleaseAsync(5)).State);
    }

    [Fact]
    public async Task The_roll_back_button_of_a_release_after_a_rollback_goes_to_what_ran_before_it_and_its_question_names_the_tag()
    {
        await RolledBackToV1ThenV4FailsAsync();
        var button = Core.Surface.Cards.Last(c => c.ReleaseId == 5).Buttons.Single(b => b.Action == CardAction.Rollback);

        await Core.Bot.PressAsync(new ButtonPress(Alice, SignalSurface.Channel, button.Token), CancellationToken.None);
        var question = Core.Surface.Notices.Last();
        await PressYesAsync(Alice);

        Assert.Contains("v1.0.1", question.Text);
        Assert.DoesNotContain("v1.0.2", question.Text);
        var rollback = await ReleaseAsync(6);
        Assert.Equal(ReleaseState.RolledBack, rollback.State);
        Assert.Equal("v1.0.1", rollback.Tag);
        Assert.All(Core.Fleet.Updates.GroupBy(u => u.Machine), machine => Assert.Equal("v1.0.1", StatusReporter.TagOf(machine.Last().Image)));
    }

    [Fact]
    public async Task Rollback_check_after_a_rollback_names_what_ran_before_the_failed_release()
    {
        await RolledBackToV1ThenV4FailsAsync();

        var check = await SayAsync(Alice, "/rollback --check");

        Assert.Contains("Target: v1.0.1", check.Text);
        Assert.Contains("Target: v1.0.1", (await ReleaseAsync(5)).Outputs.RollbackCheck);
    }

    [Fact]
    public async Task An_auto_rollback_after_a_rollback_goes_to_what_ran_before_the_failed_release()
    {
        await RestartWithAsync(s => s.Environments[Env].AutoRollback = true);

        await RolledBackToV1ThenV4FailsAsync();
        await Core.WhenIdleAsync();

        var rollback = await ReleaseAsync(6);
        Assert.Equal(RollbacksAfterEnd.AutoRollback.Id, rollback.Requester);
        Assert.Equal("v1.0.1", rollback.Tag);
    }
}
