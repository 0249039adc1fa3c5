using ChatOps.Core.Commands;
using ChatOps.Core.Releases;
using ChatOps.Testing;

namespace ChatOps.Core.Tests.Commands;

/// <summary>A stop that was asked for and stored while someone else held the release is carried out before anything else moves it.</summary>
public sealed class PendingStopTests : CoreScenario
{
    private const string OtherInstance = "other instance";

    private async Task ReleasedAsync(string tag, long id)
    {
        await SayAsync(Alice, $"/release {tag}");
        await SayAsync(Bob, $"/approve {id}");
        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(id)).State);
    }

    private Task HeldElsewhereAsync(long id) => Core.Store.Leases.TryClaimAsync(id, OtherInstance, TimeSpan.FromSeconds(30), CancellationToken.None);

    private Task GivenBackAsync(long id) => Core.Store.Leases.ReleaseAsync(id, OtherInstance, CancellationToken.None);

    [Fact]
    public async Task An_approval_is_refused_while_a_stored_cancel_waits_and_the_cancel_is_carried_out()
    {
        await SayAsync(Alice, "/release v1.1.0");
        Clock.Advance(TimeSpan.FromMinutes(12));
        await HeldElsewhereAsync(1);
        var cancel = await SayAsync(Alice, "/cancel 1");
        Assert.Contains("once AwaitApproval ends", cancel.Text);
        await GivenBackAsync(1);

        var approval = await SayAsync(Bob, "/approve 1");

        Assert.True(approval.IsRefusal, approval.Text);
        Assert.Contains($"A stop was asked at 2026-12-01 03:12 UTC by {Alice.Id}", approval.Text);
        Assert.Contains("it is carried out first", approval.Text);
        var release = await ReleaseAsync(1);
        Assert.Equal(ReleaseState.Cancelled, release.State);
        Assert.Equal(StepStatus.Pending, release.Step(nameof(ReleaseState.Migrate)).Status);
        Assert.Empty(Core.Fleet.Updates);
    }

    [Fact]
    public async Task An_approval_is_refused_while_a_stored_rollback_waits_and_the_release_is_cancelled_without_a_rollback()
    {
        await ReleasedAsync("v1.0.1", 1);
        await SayAsync(Alice, "/release v1.1.0");
        var updates = Core.Fleet.Updates.Count;
        await HeldElsewhereAsync(2);
        await SayConfirmedAsync(Alice, "/rollback");
        await GivenBackAsync(2);

        var approval = await SayAsync(Bob, "/approve 2");

        Assert.True(approval.IsRefusal, approval.Text);
        Assert.Contains("A stop was asked at", approval.Text);
        Assert.Equal(ReleaseState.Cancelled, (await ReleaseAsync(2)).State);
        Assert.Equal(2, (await Core.Store.Releases.ListAsync(Env, activeOnly: false, limit: 10, CancellationToken.None)).Count);
        Assert.Equal(updates, Core.Fleet.Updates.Count);
        Assert.Null((await Core.Store.Environments.GetAsync(Env, CancellationToken.None)).Lock);
    }

    [Fact]
    public async Task A_rollback_stored_just_after_the_approval_of_a_release_that_changed_nothing_starts_no_rollback()
    {
        await ReleasedAsync("v1.0.1", 1);
        await SayAsync(Alice, "/release v1.1.0");
        var updates = Core.Fleet.Updates.Count;
        // Asked while the approval still holds the release: the approval is written, the stop is stored for the runner.
        var asked = 0;
        Core.Surface.BeforeCard = async card =>
        {
            if (card is { ReleaseId: 2, State: ReleaseState.Migrate } && Interlocked.Increment(ref asked) == 1)
                await Core.Get<RollbackCommands>().StartRollbackAsync(Env, null, false, Alice, SignalSurface.Channel, CancellationToken.None);
        };

        await SayAsync(Bob, "/approve 2");
        await Core.WhenIdleAsync();

        var stopped = await ReleaseAsync(2);
        Assert.False(stopped.IsActive);
        Assert.False(stopped.ChangedProduction);
        Assert.Contains("nothing to roll back", stopped.Error ?? "");
        Assert.Equal(2, (await Core.Store.Releases.ListAsync(Env, activeOnly: false, limit: 10, CancellationToken.None)).Count);
        Assert.Equal(updates, Core.Fleet.Updates.Count);
        Assert.Null((await Core.Store.Environments.GetAsync(Env, CancellationToken.None)).Lock);
    }
}
