using ChatOps.Core.Releases;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Tests.Commands;

/// <summary>Freeze windows as people meet them: /release refused, an approver's override, an approval held, rollbacks through.</summary>
public sealed class FreezeWindowTests : CoreScenario
{
    // The clock starts Tue 2026-12-01 03:00 UTC; the freeze opens daily at 04:00 for an hour.
    protected override void Configure(ChatOpsSettings settings)
    {
        settings.Environments[Env].Freezes.Add(new FreezeSettings { Cron = "0 4 * * *", Duration = TimeSpan.FromHours(1), Reason = "nightly batch" });
        settings.Access.ApprovalTimeout = TimeSpan.FromHours(3);
        // Bob releases too, for the override at the start.
        settings.Access.Releasers.Add(Bob.Id);
    }

    private void IntoTheWindow() => Clock.Advance(TimeSpan.FromMinutes(70));

    [Fact]
    public async Task A_release_inside_a_window_is_refused_with_when_it_opens_and_nothing_is_started()
    {
        IntoTheWindow();

        var refused = await SayAsync(Alice, "/release v1.1.0");

        Assert.True(refused.IsRefusal);
        Assert.Contains($"{Env} is frozen until Tue 05:00 UTC (nightly batch)", refused.Text);
        Assert.Empty(await Core.Store.Releases.ListAsync(Env, activeOnly: false, limit: 10, CancellationToken.None));
    }

    [Fact]
    public async Task Status_says_until_when_the_environment_is_frozen()
    {
        IntoTheWindow();

        var status = await SayAsync(Alice, $"/status {Env}");

        Assert.Contains("❄ frozen until Tue 05:00 UTC (nightly batch)", status.Text);
    }

    [Fact]
    public async Task An_approvers_override_lets_a_release_through_audited_and_on_the_card()
    {
        IntoTheWindow();

        var started = await SayAsync(Bob, "/release v1.1.0 --override-freeze \"checkout is down\"");

        Assert.False(started.IsRefusal, started.Text);
        var release = await ReleaseAsync(1);
        Assert.Equal("checkout is down", release.Outputs.FreezeOverride!.Reason);
        var events = await Core.Store.Releases.EventsAsync(1, null, 50, CancellationToken.None);
        Assert.Contains(events, e => e.Action == "request" && e.Detail.Contains("freeze (nightly batch, until Tue 05:00 UTC) overridden by test:bob: checkout is down", StringComparison.Ordinal));
        Assert.Contains(Core.Surface.Cards.Where(c => c.ReleaseId == 1), c => c.Details.Any(d => d.Contains("freeze (nightly batch) overridden", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_releaser_may_not_override_a_freeze()
    {
        IntoTheWindow();

        var refused = await SayAsync(Alice, "/release v1.1.0 --override-freeze \"in a hurry\"");

        Assert.True(refused.IsRefusal);
        Assert.Contains("only approvers can", refused.Text);
    }

    [Fact]
    public async Task A_window_that_opens_while_a_release_waits_holds_its_approval_until_an_override()
    {
        await SayAsync(Alice, "/release v1.1.0");
        IntoTheWindow();

        var held = await SayAsync(Bob, "/approve 1");
        Assert.True(held.IsRefusal);
        Assert.Contains("release #1 waits at its approval until then", held.Text);
        Assert.Equal(ReleaseState.AwaitApproval, (await ReleaseAsync(1)).State);

        var approved = await SayAsync(Bob, "/approve 1 --override-freeze \"launch fix\"");

        Assert.False(approved.IsRefusal, approved.Text);
        var release = await ReleaseAsync(1);
        Assert.Equal(ReleaseState.Released, release.State);
        Assert.Equal("launch fix", release.Outputs.FreezeOverride!.Reason);
    }

    [Fact]
    public async Task The_approval_waits_for_the_window_to_close()
    {
        await SayAsync(Alice, "/release v1.1.0");
        IntoTheWindow();
        Assert.True((await SayAsync(Bob, "/approve 1")).IsRefusal);

        Clock.Advance(TimeSpan.FromMinutes(60));
        var approved = await SayAsync(Bob, "/approve 1");

        Assert.False(approved.IsRefusal, approved.Text);
        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(1)).State);
    }

    [Fact]
    public async Task A_rollback_is_never_frozen()
    {
        await SayAsync(Alice, "/release v1.0.1");
        await SayAsync(Bob, "/approve 1");
        await SayAsync(Alice, "/release v1.1.0");
        await SayAsync(Bob, "/approve 2");
        IntoTheWindow();

        var rolled = await SayConfirmedAsync(Alice, "/rollback");

        Assert.False(rolled.IsRefusal, rolled.Text);
        Assert.Equal(ReleaseState.RolledBack, (await ReleaseAsync(3)).State);
    }
}
