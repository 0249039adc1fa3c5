using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Core.Store;
using ChatOps.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Core.Tests.Runner;

/// <summary>The runner and the decisions on in-memory ports: the whole core, no processes, no network.</summary>
public sealed class ReleaseRunnerTests : CoreScenario
{
    private static readonly ChatUser Mallory = new("test:mallory");

    private IReleaseStore Releases => Core.Store.Releases;

    [Fact]
    public async Task A_release_waits_at_the_gate_then_runs_every_step_to_released_after_one_approval()
    {
        await SayAsync(Alice, "/release v1.1.0");
        Assert.Equal(ReleaseState.AwaitApproval, (await ReleaseAsync(1)).State);
        Assert.Empty(Core.Fleet.Updates);

        var approved = await SayAsync(Bob, "/approve 1");

        var release = await ReleaseAsync(1);
        Assert.False(approved.IsRefusal, approved.Text);
        Assert.Equal(ReleaseState.Released, release.State);
        // An environment without Bake:Duration has no bake: the step says so and the release is Released at once.
        Assert.All(Runbook.CardLines(release).Where(step => step != nameof(ReleaseState.Bake)), step => Assert.Equal(StepStatus.Done, release.Step(step).Status));
        Assert.Equal(StepStatus.Skipped, release.Step(nameof(ReleaseState.Bake)).Status);
        Assert.Equal(4, Core.Fleet.Updates.Count);
    }

    [Fact]
    public async Task An_approval_typed_while_the_plan_is_still_being_built_is_refused_at_once_and_the_gate_opens_later()
    {
        var previewing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var planHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Core.Fleet.BeforeExec = async command =>
        {
            previewing.TrySetResult();
            await planHeld.Task;
        };
        await Core.Bot.HandleAsync(new IncomingMessage(Alice, SignalSurface.Channel, "/release v1.1.0"), CancellationToken.None);
        await previewing.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Bounded only so a regression fails instead of hanging: the answer must not wait for the plan.
        var early = await Core.Bot.HandleAsync(new IncomingMessage(Bob, SignalSurface.Channel, "/approve 1"), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(early.IsRefusal);
        Assert.Contains("still preparing", early.Text);
        planHeld.SetResult();
        await Core.WhenIdleAsync();
        Assert.Equal(ReleaseState.AwaitApproval, (await ReleaseAsync(1)).State);
        Assert.False((await SayAsync(Bob, "/approve 1")).IsRefusal);
        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(1)).State);
    }

    [Fact]
    public async Task The_requester_cannot_approve_their_own_release_and_the_refusal_is_audited()
    {
        await RestartWithAsync(s => s.Access.Approvers.Add(Alice.Id));
        await SayAsync(Alice, "/release v1.1.0");

        var refused = await SayAsync(Alice, "/approve 1");

        Assert.True(refused.IsRefusal);
        Assert.Contains("four-eyes", refused.Text);
        Assert.Equal(ReleaseState.AwaitApproval, (await ReleaseAsync(1)).State);
        Assert.Contains(((InMemoryStore)Releases).Events, e => e.Action == "refused" && e.Actor == Alice.Id);
    }

    [Fact]
    public async Task Someone_without_a_role_can_neither_release_nor_approve()
    {
        Assert.True((await SayAsync(Mallory, "/release v1.1.0")).IsRefusal);
        await SayAsync(Alice, "/release v1.1.0");

        Assert.True((await SayAsync(Mallory, "/approve 1")).IsRefusal);
        Assert.Equal(ReleaseState.AwaitApproval, (await ReleaseAsync(1)).State);
    }

    [Fact]
    public async Task A_rejected_release_is_cancelled_and_nothing_is_deployed()
    {
        await SayAsync(Alice, "/release v1.1.0");

        await SayAsync(Bob, "/reject 1");

        Assert.Equal(ReleaseState.Cancelled, (await ReleaseAsync(1)).State);
        Assert.Empty(Core.Fleet.Updates);
        Assert.Empty(await Core.Store.Approvals.OpenAsync(1, Clock.GetUtcNow(), CancellationToken.None));
    }

    [Fact]
    public async Task An_approval_nobody_gives_in_time_cancels_the_release()
    {
        await SayAsync(Alice, "/release v1.1.0");

        Clock.Advance(TimeSpan.FromMinutes(31));
        await Core.Get<ApprovalExpiry>().ExpireAsync(CancellationToken.None);

        var release = await ReleaseAsync(1);
        Assert.Equal(ReleaseState.Cancelled, release.State);
        Assert.Contains("nobody approved", release.Step("AwaitApproval").Detail);
    }

    [Fact]
    public async Task Cancel_is_refused_past_the_point_of_no_return()
    {
        var started = await StartAtAsync(ReleaseState.Deploy);

        var refused = await SayAsync(Alice, $"/cancel {started.Id}");

        Assert.True(refused.IsRefusal);
        Assert.Contains("past the point of no return", refused.Text);
        Assert.Equal(ReleaseState.Deploy, (await ReleaseAsync(started.Id)).State);
    }

    [Fact]
    public async Task A_cancel_queued_while_a_step_ran_is_carried_out_at_the_next_step_boundary()
    {
        var started = await StartAtAsync(ReleaseState.Tag);
        await Releases.RequestCancelAsync(new AuditEvent(started.Id, Env, Bob.Id, "cancel-requested", "Tag", null, "while Tag runs", Clock.GetUtcNow()), CancellationToken.None);

        await Core.Runner.AdvanceAsync(started.Id, CancellationToken.None);

        var release = await ReleaseAsync(started.Id);
        Assert.Equal(ReleaseState.Cancelled, release.State);
        Assert.Equal(Bob.Id, release.CancelRequestedBy);
        Assert.Equal(StepStatus.Pending, release.Step("Tag").Status);
    }

    [Fact]
    public async Task A_cancel_queued_too_late_is_said_and_the_release_goes_on()
    {
        var started = await StartAtAsync(ReleaseState.Deploy);
        await Releases.RequestCancelAsync(new AuditEvent(started.Id, Env, Bob.Id, "cancel-requested", "Deploy", null, "while Deploy ran", Clock.GetUtcNow()), CancellationToken.None);

        await Core.Runner.AdvanceAsync(started.Id, CancellationToken.None);

        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(started.Id)).State);
        Assert.Contains(Core.Surface.Said, s => s.Contains("came too late", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_migration_cut_off_by_a_crash_stops_for_a_human_and_resumes_when_asked()
    {
        var stopped = await MigrationCutOffByACrashAsync();
        Assert.Equal(ReleaseState.NeedsAttention, stopped.State);
        Assert.Equal(ReleaseState.Migrate, stopped.StoppedAt);
        Assert.Empty(Core.Fleet.Updates);

        var resumed = await SayAsync(Bob, "/resume 1");

        Assert.False(resumed.IsRefusal, resumed.Text);
        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(1)).State);
    }

    [Fact]
    public async Task A_cancel_of_a_release_in_needs_attention_held_by_another_instance_is_refused_and_changes_nothing()
    {
        // Found by the kill suite: the cancel was left for the runner, which, past the point of no return, said
        // "too late" instead, and the release stayed in NeedsAttention.
        await MigrationCutOffByACrashAsync();
        Assert.True(await Core.Store.Leases.TryClaimAsync(1, "stopped instance", TimeSpan.FromSeconds(30), CancellationToken.None));

        var refused = await SayAsync(Alice, "/cancel 1");

        Assert.True(refused.IsRefusal);
        Assert.Contains("try again", refused.Text, StringComparison.Ordinal);
        var release = await ReleaseAsync(1);
        Assert.Equal(ReleaseState.NeedsAttention, release.State);
        Assert.Null(release.StopRequest);

        await Core.Store.Leases.ReleaseAsync(1, "stopped instance", CancellationToken.None);
        var cancelled = await SayAsync(Alice, "/cancel 1");

        Assert.False(cancelled.IsRefusal, cancelled.Text);
        Assert.Equal(ReleaseState.Cancelled, (await ReleaseAsync(1)).State);
    }

    [Fact]
    public async Task A_restore_cut_off_by_a_crash_stops_for_a_human_instead_of_restoring_again()
    {
        var rollback = new Release
        {
            Kind = ReleaseKind.Rollback,
            Environment = Env,
            Tag = "v1.0.0",
            Requester = Alice.Id,
            State = ReleaseState.RollingBack,
            WithDatabase = true,
            CreatedAt = Clock.GetUtcNow(),
            UpdatedAt = Clock.GetUtcNow(),
        };
        rollback.Outputs.Backup = new BackupRecord("pg_dump", "/data/backups/v1.dump", 1, null, Clock.GetUtcNow());
        rollback.Step("RollingBack").Status = StepStatus.Running;
        rollback.Step("Restore database").Status = StepStatus.Running;
        var started = await StartAsync(rollback);

        await Core.Runner.AdvanceAsync(started.Id, CancellationToken.None);

        var stopped = await ReleaseAsync(started.Id);
        Assert.Equal(ReleaseState.NeedsAttention, stopped.State);
        Assert.Contains("Restore database", stopped.Error);
        Assert.Equal(0, Core.Database.Restores);
        Assert.Empty(Core.Fleet.Updates);
    }

    [Fact]
    public async Task A_deploy_cut_off_by_a_crash_is_run_again_to_the_end()
    {
        var started = await StartAtAsync(ReleaseState.Deploy, running: "Deploy");

        await Core.Runner.AdvanceAsync(started.Id, CancellationToken.None);

        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(started.Id)).State);
    }

    [Fact]
    public async Task A_locked_environment_refuses_a_release_naming_who_locked_it()
    {
        await SayAsync(Bob, $"/lock {Env} incident 42");

        var refused = await SayAsync(Alice, "/release v1.1.0");

        Assert.True(refused.IsRefusal);
        Assert.Contains(Bob.Id, refused.Text);
        Assert.Empty(await Releases.ListAsync(Env, activeOnly: false, limit: 10, CancellationToken.None));
    }

    [Fact]
    public async Task Only_the_holder_or_an_approver_with_force_unlocks_an_environment()
    {
        await RestartWithAsync(s => s.Access.Releasers.Add("test:carol"));
        await SayAsync(Alice, $"/lock {Env} db maintenance");

        var refused = await SayAsync(new ChatUser("test:carol"), $"/unlock {Env}");
        var forced = await SayConfirmedAsync(Bob, $"/unlock {Env} --force");

        Assert.True(refused.IsRefusal);
        Assert.False(forced.IsRefusal, forced.Text);
        Assert.Contains("forced", forced.Text);
        Assert.Null((await Core.Store.Environments.GetAsync(Env, CancellationToken.None)).Lock);
    }

    [Fact]
    public async Task A_release_that_fails_verify_with_auto_rollback_on_is_rolled_back_to_what_ran_before()
    {
        await RestartWithAsync(s => s.Environments[Env].AutoRollback = true);
        await SayAsync(Alice, "/release v1.1.0");
        await SayAsync(Bob, "/approve 1");
        Core.Fleet.BrokenTags.TryAdd("v1.2.0", 0);
        await SayAsync(Alice, "/release v1.2.0");

        await SayAsync(Bob, "/approve 2");
        await Core.WhenIdleAsync();

        var failed = await ReleaseAsync(2);
        var rollback = await ReleaseAsync(3);
        Assert.Equal(ReleaseState.Failed, failed.State);
        Assert.Equal(ReleaseState.Verify, failed.StoppedAt);
        Assert.Equal(ReleaseKind.Rollback, rollback.Kind);
        Assert.Equal(ReleaseState.RolledBack, rollback.State);
        Assert.Equal("v1.1.0", rollback.Tag);
        Assert.Equal("v1.1.0", StatusReporter.TagOf(Core.Fleet.Updates.Last().Image));
        Assert.NotNull((await Core.Store.Environments.GetAsync(Env, CancellationToken.None)).Lock);
    }

    [Fact]
    public async Task A_redelivered_command_changes_nothing_and_shows_nothing()
    {
        await SayAsync(Alice, "/release v1.1.0", updateId: "7");

        var again = await SayAsync(Alice, "/release v1.1.0", updateId: "7");

        Assert.Equal("", again.Text);
        Assert.Single(await Releases.ListAsync(Env, activeOnly: false, limit: 10, CancellationToken.None));
    }

    [Theory]
    [InlineData("/status")]
    [InlineData("/whoami")]
    [InlineData("/help release")]
    [InlineData("/release nonsense")]
    public async Task A_command_that_only_answers_is_answered_once_and_its_update_is_recorded_before_the_answer(string text)
    {
        var first = await SayAsync(Alice, text, updateId: "8");
        var again = await SayAsync(Alice, text, updateId: "8");

        Assert.NotEqual("", first.Text);
        Assert.Equal("", again.Text);
        Assert.False(await Core.Store.Updates.TryMarkProcessedAsync(Alice.Platform, "8", CancellationToken.None));
    }

    /// <summary>Release #1, approved, as an instance that died during Migrate left it, after the runner looked at it again.</summary>
    private async Task<Release> MigrationCutOffByACrashAsync()
    {
        await SayAsync(Alice, "/release v1.1.0");
        await CrashAsync(1, release =>
        {
            release.State = ReleaseState.Migrate;
            release.Outputs.ApprovedBy = Bob.Id;
            release.Step("AwaitApproval").Status = StepStatus.Done;
            release.Step("Migrate").Status = StepStatus.Running;
        });
        await Core.Runner.AdvanceAsync(1, CancellationToken.None);
        return await ReleaseAsync(1);
    }

    /// <summary>Changes a stored release as an instance that died mid-step left it: its lease is free again.</summary>
    private async Task CrashAsync(long id, Action<Release> leftBehind)
    {
        var release = await ReleaseAsync(id);
        leftBehind(release);
        var leases = Core.Store.Leases;
        Assert.True(await leases.TryClaimAsync(id, "dead", TimeSpan.FromSeconds(30), CancellationToken.None));
        await Releases.SaveAsync(release, null, "dead", CancellationToken.None);
        await leases.ReleaseAsync(id, "dead", CancellationToken.None);
    }

    /// <summary>A release already at <paramref name="state"/>, as another instance left it; <paramref name="running"/> was cut off.</summary>
    private Task<Release> StartAtAsync(ReleaseState state, string? running = null)
    {
        var release = new Release
        {
            Kind = ReleaseKind.Release,
            Environment = Env,
            Tag = "v1.1.0",
            PreviousTag = "v1.0.0",
            Requester = Alice.Id,
            State = state,
            Channel = SignalSurface.Channel,
            CreatedAt = Clock.GetUtcNow(),
            UpdatedAt = Clock.GetUtcNow(),
        };
        foreach (var row in Runbook.Release.TakeWhile(r => r.State != state))
            release.Step(row.Name).Status = StepStatus.Done;
        release.Outputs.ApprovedBy = Bob.Id;
        if (running is not null)
            release.Step(running).Status = StepStatus.Running;
        return StartAsync(release);
    }

    private async Task<Release> StartAsync(Release release)
    {
        var outcome = await Releases.TryStartAsync(release, new AuditEvent(null, release.Environment, Alice.Id, "request", null, release.State.ToString(), "seeded", Clock.GetUtcNow()), CancellationToken.None);
        return outcome.Started!;
    }
}
