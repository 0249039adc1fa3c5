using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Store;
using ChatOps.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Core.Tests.Commands;

/// <summary>What the on-call engineer relies on in an incident: stopping a deploy, the freeze, and releases that are not rolled back for paperwork.</summary>
public sealed class IncidentTests : CoreScenario
{
    private async Task ReleasedAsync(string tag, long id)
    {
        await SayAsync(Alice, $"/release {tag}");
        await SayAsync(Bob, $"/approve {id}");
        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(id)).State);
    }

    [Fact]
    public async Task A_rollback_asked_during_a_deploy_stops_it_between_two_machines_and_puts_back_what_moved()
    {
        await ReleasedAsync("v1.0.1", 1);
        await SayAsync(Alice, "/release v1.1.0");
        var updates = 0;
        Decision? asked = null;
        Core.Fleet.BeforeUpdate = async (_, image) =>
        {
            if (StatusReporter.TagOf(image) == "v1.1.0" && Interlocked.Increment(ref updates) == 2)
                asked = await Core.Get<RollbackCommands>().StartRollbackAsync(Env, null, false, Alice, SignalSurface.Channel, CancellationToken.None);
        };

        await SayAsync(Bob, "/approve 2");
        await Core.WhenIdleAsync();

        Assert.Contains("stops now (a machine still waiting to turn healthy is not waited for)", asked!.Message);
        var stopped = await ReleaseAsync(2);
        var rollback = await ReleaseAsync(3);
        Assert.Equal(ReleaseState.Failed, stopped.State);
        Assert.Contains("stopped between two machines", stopped.Step("Deploy").Detail);
        Assert.InRange(stopped.Outputs.Machines.Count(m => m.After is not null), 1, 3);
        Assert.Equal(ReleaseState.RolledBack, rollback.State);
        Assert.Equal("v1.0.1", rollback.Tag);
        Assert.All(Core.Fleet.Updates.GroupBy(u => u.Machine), machine => Assert.Equal("v1.0.1", StatusReporter.TagOf(machine.Last().Image)));
    }

    [Fact]
    public async Task A_rollback_asked_while_the_release_waits_for_approval_cancels_it_as_nothing_moved()
    {
        await SayAsync(Alice, "/release v1.1.0");

        var asked = await SayConfirmedAsync(Alice, "/rollback");

        Assert.Contains("had changed nothing yet", asked.Text);
        Assert.Equal(ReleaseState.Cancelled, (await ReleaseAsync(1)).State);
        Assert.Single(await Core.Store.Releases.ListAsync(Env, activeOnly: false, limit: 10, CancellationToken.None));
        Assert.Empty(Core.Fleet.Updates);
    }

    [Fact]
    public async Task The_running_card_offers_roll_back_from_the_point_of_no_return_on()
    {
        await ReleasedAsync("v1.0.1", 1);

        var cards = Core.Surface.Cards.Where(c => c.ReleaseId == 1).ToList();

        Assert.DoesNotContain(cards.Where(c => c.State is ReleaseState.Preflight or ReleaseState.Tag), c => c.Buttons.Any(b => b.Action == CardAction.Rollback));
        Assert.Contains(cards.Where(c => c.State == ReleaseState.Deploy), c => c.Buttons.Any(b => b.Action == CardAction.Rollback));
        Assert.DoesNotContain(cards.Where(c => c.State == ReleaseState.Released), c => c.Buttons.Any(b => b.Action == CardAction.Rollback));
    }

    [Fact]
    public async Task A_lock_holds_a_release_before_it_deploys_and_resume_waits_for_the_unlock()
    {
        await SayAsync(Alice, "/release v1.1.0");
        await SayAsync(Bob, $"/lock {Env} incident 9");

        var refused = await SayAsync(Bob, "/approve 1");

        Assert.True(refused.IsRefusal);
        Assert.Contains($"{Env} is locked by {Bob.Id}", refused.Text);
        Assert.Contains("incident 9", refused.Text);
        await SayAsync(Bob, $"/unlock {Env}");
        await SayAsync(Bob, "/approve 1");
        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(1)).State);
    }

    [Fact]
    public async Task The_runner_does_not_start_a_deploy_while_the_environment_is_locked_and_resume_waits_for_the_unlock()
    {
        await SayAsync(Alice, "/release v1.1.0");
        // An incident starts while the release migrates: someone locks the environment.
        Core.Fleet.BeforeExec = command => command.StartsWith("alembic upgrade", StringComparison.Ordinal)
            ? Core.Store.Environments.LockAsync(new EnvironmentLock(Env, "test:carol", "incident 10", Clock.GetUtcNow(), null), Clock.GetUtcNow(), CancellationToken.None)
            : Task.CompletedTask;

        await SayAsync(Bob, "/approve 1");

        var held = await ReleaseAsync(1);
        Assert.Equal(ReleaseState.NeedsAttention, held.State);
        Assert.Equal(ReleaseState.Deploy, held.StoppedAt);
        Assert.Contains("locked by test:carol", held.Error);
        Assert.Empty(Core.Fleet.Updates);
        Assert.True((await SayAsync(Alice, "/resume 1")).IsRefusal);

        await SayConfirmedAsync(Bob, $"/unlock {Env} --force");
        var resumed = await SayAsync(Alice, "/resume 1");

        Assert.False(resumed.IsRefusal, resumed.Text);
        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(1)).State);
    }

    [Fact]
    public async Task Paperwork_that_fails_after_verify_leaves_the_release_released_and_resume_redoes_it()
    {
        Core.SourceControl.PreviousTagMissing = true;
        await SayAsync(Alice, "/release v1.1.0");
        await SayAsync(Bob, "/approve 1");

        var release = await ReleaseAsync(1);
        Assert.Equal(ReleaseState.Released, release.State);
        Assert.Equal(StepStatus.Failed, release.Step("Document").Status);
        Assert.Contains("404", release.Outputs.PaperworkError);
        var last = Core.Surface.Cards.Last(c => c.ReleaseId == 1);
        Assert.Contains("the release stands", last.Summary);
        Assert.DoesNotContain(last.Buttons, b => b.Action == CardAction.Rollback);

        Core.SourceControl.PreviousTagMissing = false;
        var redone = await SayAsync(Alice, "/resume 1");

        Assert.False(redone.IsRefusal, redone.Text);
        release = await ReleaseAsync(1);
        Assert.Equal(StepStatus.Done, release.Step("Document").Status);
        Assert.Null(release.Outputs.PaperworkError);
    }

    [Fact]
    public async Task A_rollback_that_fails_is_never_itself_rolled_back()
    {
        await RestartWithAsync(s => s.Environments[Env].AutoRollback = true);
        await ReleasedAsync("v1.0.1", 1);
        // Both the new release and the one to go back to are broken: the auto-rollback fails its own checks.
        Core.Fleet.BrokenTags.TryAdd("v1.1.0", 0);
        Core.Fleet.BrokenTags.TryAdd("v1.0.1", 0);

        await SayAsync(Alice, "/release v1.1.0");
        await SayAsync(Bob, "/approve 2");
        await Core.WhenIdleAsync();

        Assert.Equal(ReleaseState.Failed, (await ReleaseAsync(2)).State);
        Assert.Equal(ReleaseState.RollbackFailed, (await ReleaseAsync(3)).State);
        Assert.Equal(3, (await Core.Store.Releases.ListAsync(Env, activeOnly: false, limit: 10, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_rollback_asked_during_the_step_that_then_fails_still_rolls_back()
    {
        await ReleasedAsync("v1.0.1", 1);
        Core.Fleet.BrokenTags.TryAdd("v1.1.0", 0);
        await SayAsync(Alice, "/release v1.1.0");
        var asked = 0;
        Core.Fleet.BeforeHealth = async () =>
        {
            if (Interlocked.Increment(ref asked) == 1)
                await Core.Get<RollbackCommands>().StartRollbackAsync(Env, null, false, Alice, SignalSurface.Channel, CancellationToken.None);
        };

        await SayAsync(Bob, "/approve 2");
        await Core.WhenIdleAsync();

        Assert.Equal(ReleaseState.Failed, (await ReleaseAsync(2)).State);
        var rollback = await ReleaseAsync(3);
        Assert.Equal(ReleaseState.RolledBack, rollback.State);
        Assert.Equal(Alice.Id, rollback.Requester);
        Assert.Equal("v1.0.1", rollback.Tag);
    }

    [Fact]
    public async Task A_rollback_asked_while_a_machine_never_turns_healthy_ends_the_wait_at_once_and_rolls_back()
    {
        await ReleasedAsync("v1.0.1", 1);
        Core.Fleet.HangingTags.TryAdd("v1.1.0", 0);
        await SayAsync(Alice, "/release v1.1.0");
        // Not waited on: the deploy hangs until something ends it.
        var approved = Core.Bot.HandleAsync(new IncomingMessage(Bob, SignalSurface.Channel, "/approve 2", null), CancellationToken.None);
        await approved;
        // Both services' first machines are replaced and never turn healthy: no safe point between machines comes.
        for (var waited = 0; Core.Fleet.Hanging < 2 && waited < 3000; waited++)
            await Task.Delay(10);
        Assert.Equal(2, Core.Fleet.Hanging);

        var asked = await Core.Get<RollbackCommands>().StartRollbackAsync(Env, null, false, Alice, SignalSurface.Channel, CancellationToken.None);
        // The watch reads the release once a second; no deploy timeout (five minutes) passes.
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Core.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("stops now", asked.Message);
        var stopped = await ReleaseAsync(2);
        Assert.Equal(ReleaseState.Failed, stopped.State);
        Assert.Contains("while a machine was still turning healthy", stopped.Step("Deploy").Detail);
        var rollback = await ReleaseAsync(3);
        Assert.Equal(ReleaseState.RolledBack, rollback.State);
        Assert.Equal("v1.0.1", rollback.Tag);
    }
}
