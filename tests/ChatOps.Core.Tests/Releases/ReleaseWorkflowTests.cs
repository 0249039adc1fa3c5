using ChatOps.Core.Releases;

namespace ChatOps.Core.Tests.Releases;

public sealed class ReleaseWorkflowTests
{
    private static ReleaseWorkflow At(ReleaseState state, ReleaseKind kind = ReleaseKind.Release, bool withDatabase = false) =>
        new(new Release { Kind = kind, State = state, WithDatabase = withDatabase });

    public static TheoryData<ReleaseState, ReleaseState> Chain => new()
    {
        { ReleaseState.Preflight, ReleaseState.Tag },
        { ReleaseState.Tag, ReleaseState.Backup },
        { ReleaseState.Backup, ReleaseState.AwaitApproval },
        { ReleaseState.Migrate, ReleaseState.VerifySchema },
        { ReleaseState.VerifySchema, ReleaseState.Deploy },
        { ReleaseState.Deploy, ReleaseState.Verify },
        { ReleaseState.Verify, ReleaseState.Smoke },
        { ReleaseState.Smoke, ReleaseState.Observe },
        { ReleaseState.Observe, ReleaseState.Bake },
        { ReleaseState.Bake, ReleaseState.Document },
        { ReleaseState.Document, ReleaseState.Released },
    };

    [Theory]
    [MemberData(nameof(Chain))]
    public void A_successful_step_moves_to_the_next_runbook_step(ReleaseState from, ReleaseState to)
    {
        var workflow = At(from);

        workflow.StepSucceeded();

        Assert.Equal(to, workflow.State);
    }

    [Theory]
    [MemberData(nameof(Chain))]
    public void A_failed_step_moves_to_failed_with_the_step_and_the_error(ReleaseState from, ReleaseState _)
    {
        var release = new Release { State = from };

        new ReleaseWorkflow(release).StepFailed("boom");

        Assert.Equal(ReleaseState.Failed, release.State);
        Assert.Equal(from, release.StoppedAt);
        Assert.Equal("boom", release.Error);
    }

    [Fact]
    public void A_requested_release_begins_at_preflight() =>
        Assert.Equal(ReleaseState.Preflight, Begin(At(ReleaseState.Requested)));

    private static ReleaseState Begin(ReleaseWorkflow workflow)
    {
        workflow.Begin();
        return workflow.State;
    }

    [Theory]
    [InlineData(ReleaseState.Requested)]
    [InlineData(ReleaseState.Preflight)]
    [InlineData(ReleaseState.Tag)]
    [InlineData(ReleaseState.Backup)]
    [InlineData(ReleaseState.AwaitApproval)]
    [InlineData(ReleaseState.NeedsAttention)]
    public void Cancel_is_allowed_before_migrations_start(ReleaseState state)
    {
        var workflow = At(state);

        workflow.Cancel();

        Assert.Equal(ReleaseState.Cancelled, workflow.State);
    }

    [Theory]
    [InlineData(ReleaseState.Migrate)]
    [InlineData(ReleaseState.VerifySchema)]
    [InlineData(ReleaseState.Deploy)]
    [InlineData(ReleaseState.Verify)]
    [InlineData(ReleaseState.Smoke)]
    [InlineData(ReleaseState.Observe)]
    [InlineData(ReleaseState.Document)]
    [InlineData(ReleaseState.Released)]
    [InlineData(ReleaseState.Failed)]
    [InlineData(ReleaseState.Cancelled)]
    public void Cancel_is_refused_from_the_point_of_no_return_on(ReleaseState state)
    {
        var workflow = At(state);

        Assert.False(workflow.CanCancel);
        Assert.Throws<InvalidOperationException>(workflow.Cancel);
    }

    [Fact]
    public void Approval_leads_to_migrate_and_rejection_or_expiry_to_cancelled()
    {
        var approved = At(ReleaseState.AwaitApproval);
        approved.Approve();
        var rejected = At(ReleaseState.AwaitApproval);
        rejected.Reject();
        var expired = At(ReleaseState.AwaitApproval);
        expired.Expire();

        Assert.Equal(ReleaseState.Migrate, approved.State);
        Assert.Equal(ReleaseState.Cancelled, rejected.State);
        Assert.Equal(ReleaseState.Cancelled, expired.State);
    }

    [Fact]
    public void Nothing_to_approve_skips_migrate_but_still_verifies_the_schema()
    {
        var workflow = At(ReleaseState.AwaitApproval);

        workflow.SkipApproval();

        Assert.Equal(ReleaseState.VerifySchema, workflow.State);
    }

    [Fact]
    public void A_changed_plan_at_migrate_asks_for_approval_again()
    {
        var workflow = At(ReleaseState.Migrate);

        workflow.PlanChanged();

        Assert.Equal(ReleaseState.AwaitApproval, workflow.State);
    }

    [Theory]
    [InlineData(ReleaseState.Preflight)]
    [InlineData(ReleaseState.Backup)]
    [InlineData(ReleaseState.Deploy)]
    [InlineData(ReleaseState.Smoke)]
    public void Approval_is_refused_outside_the_approval_gate(ReleaseState state)
    {
        var workflow = At(state);

        Assert.False(workflow.CanApprove);
        Assert.Throws<InvalidOperationException>(workflow.Approve);
    }

    [Theory]
    [InlineData(ReleaseState.Released)]
    [InlineData(ReleaseState.Failed)]
    [InlineData(ReleaseState.Cancelled)]
    public void A_finished_release_accepts_no_step_outcome(ReleaseState state)
    {
        var workflow = At(state);

        Assert.False(workflow.CanCompleteStep);
        Assert.Throws<InvalidOperationException>(workflow.StepSucceeded);
        Assert.Throws<InvalidOperationException>(() => workflow.StepFailed("late"));
    }

    [Fact]
    public void An_interrupted_migration_needs_attention_and_resumes_where_it_stopped()
    {
        var release = new Release { State = ReleaseState.Migrate };
        var workflow = new ReleaseWorkflow(release);

        workflow.Interrupt("cut off");
        Assert.Equal(ReleaseState.NeedsAttention, release.State);
        Assert.False(workflow.CanCompleteStep);

        workflow.Resume();
        Assert.Equal(ReleaseState.Migrate, release.State);
    }

    [Fact]
    public void A_rollback_without_database_goes_straight_to_rolling_back()
    {
        var workflow = At(ReleaseState.Requested, ReleaseKind.Rollback);

        workflow.Begin();
        workflow.StepSucceeded();

        Assert.Equal(ReleaseState.RolledBack, workflow.State);
    }

    [Fact]
    public void A_rollback_with_database_waits_for_its_own_approval()
    {
        var workflow = At(ReleaseState.Requested, ReleaseKind.Rollback, withDatabase: true);

        workflow.Begin();
        Assert.Equal(ReleaseState.AwaitApproval, workflow.State);
        workflow.Approve();
        Assert.Equal(ReleaseState.RollingBack, workflow.State);
        workflow.StepFailed("still broken");
        Assert.Equal(ReleaseState.RollbackFailed, workflow.State);
    }

    [Fact]
    public void A_rollback_cannot_be_cancelled_once_it_rolls()
    {
        var workflow = At(ReleaseState.RollingBack, ReleaseKind.Rollback);

        Assert.False(workflow.CanCancel);
    }

    [Fact]
    public void The_graph_exports_as_mermaid_with_every_release_state()
    {
        var mermaid = ReleaseWorkflow.ToMermaid(ReleaseKind.Release);

        Assert.StartsWith("stateDiagram-v2", mermaid.TrimStart());
        foreach (var state in Runbook.Release.Select(r => r.State))
            Assert.Contains(state.ToString(), mermaid);
        Assert.Contains("Cancelled", mermaid);
    }
}
