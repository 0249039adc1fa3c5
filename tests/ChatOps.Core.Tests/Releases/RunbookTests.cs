using ChatOps.Core.Releases;

namespace ChatOps.Core.Tests.Releases;

public sealed class RunbookTests
{
    [Fact]
    public void The_release_card_lists_the_runbook_steps_in_order() =>
        Assert.Equal(
            ["Preflight", "Tag", "Backup", "AwaitApproval", "Migrate", "VerifySchema", "Deploy", "Verify", "Smoke", "Observe", "Bake", "Document"],
            Runbook.CardLines(new Release { Kind = ReleaseKind.Release }));

    [Fact]
    public void A_rollback_card_shows_the_restore_and_its_approval_only_when_it_restores_the_database()
    {
        Assert.Equal(["Redeploy", "Verify"], Runbook.CardLines(new Release { Kind = ReleaseKind.Rollback }));
        Assert.Equal(["AwaitApproval", "Restore database", "Redeploy", "Verify"],
            Runbook.CardLines(new Release { Kind = ReleaseKind.Rollback, WithDatabase = true }));
    }

    [Fact]
    public void Every_row_that_is_not_a_part_has_a_step_to_run() =>
        Assert.All(Runbook.Release.Concat(Runbook.Rollback).Where(r => r.Kind != StepKind.Part), row => Assert.NotNull(row.Step));

    [Fact]
    public void Each_step_runs_in_the_state_its_row_names() =>
        Assert.All(Runbook.Release.Concat(Runbook.Rollback).Where(r => r.Step is not null), row => Assert.Equal(row.State, row.Step!.State));

    [Fact]
    public void Only_a_migration_and_a_database_restore_ask_for_a_human_after_a_crash() =>
        Assert.Equal(["Migrate", "Restore database"],
            Runbook.Release.Concat(Runbook.Rollback).Where(r => r.AfterCrash == AfterCrash.AskHuman).Select(r => r.Name));

    [Theory]
    [InlineData(ReleaseState.Requested, true)]
    [InlineData(ReleaseState.Preflight, true)]
    [InlineData(ReleaseState.AwaitApproval, true)]
    [InlineData(ReleaseState.Migrate, false)]
    [InlineData(ReleaseState.Document, false)]
    [InlineData(ReleaseState.NeedsAttention, false)]
    public void The_point_of_no_return_is_migrate(ReleaseState state, bool before)
    {
        var release = new Release { Kind = ReleaseKind.Release, State = state };

        Assert.Equal(before, Runbook.IsBeforePointOfNoReturn(release));
        Assert.Equal(before || state == ReleaseState.NeedsAttention, new ReleaseWorkflow(release).CanCancel);
    }

    [Fact]
    public void A_restore_cut_off_by_a_crash_is_found_even_behind_the_running_rollback_step()
    {
        var rollback = new Release { Kind = ReleaseKind.Rollback, WithDatabase = true, State = ReleaseState.RollingBack };
        rollback.Step("RollingBack").Status = StepStatus.Running;
        rollback.Step("Restore database").Status = StepStatus.Running;

        Assert.Equal("Restore database", Runbook.CutOffNeedingAHuman(rollback)?.Name);
    }

    [Fact]
    public void A_deploy_cut_off_by_a_crash_is_simply_run_again()
    {
        var release = new Release { Kind = ReleaseKind.Release, State = ReleaseState.Deploy };
        release.Step("Deploy").Status = StepStatus.Running;

        Assert.Null(Runbook.CutOffNeedingAHuman(release));
    }

    [Fact]
    public void An_opened_gate_has_no_work_until_someone_decides()
    {
        var release = new Release { Kind = ReleaseKind.Release, State = ReleaseState.AwaitApproval };
        Assert.True(Runbook.HasWorkToDo(release));

        release.Step("AwaitApproval").Status = StepStatus.Waiting;

        Assert.False(Runbook.HasWorkToDo(release));
    }

    [Fact]
    public void The_plan_in_words_lists_the_steps_and_marks_the_point_of_no_return_before_migrate()
    {
        var plan = Runbook.Describe();

        Assert.True(plan.IndexOf("point of no return", StringComparison.Ordinal) < plan.IndexOf("5. Migrate", StringComparison.Ordinal));
        Assert.Contains("4. AwaitApproval — waits for an approver", plan);
        Assert.Contains("5. Migrate — cut off by a crash, it stops for a human", plan);
        Assert.Contains("Restore database (with --with-db)", plan);
    }

    [Fact]
    public void The_readme_diagram_is_the_one_the_runbook_draws()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));

        Assert.Contains(ReleaseWorkflow.ToMermaid(ReleaseKind.Release).Trim(), readme.Replace("\r\n", "\n"));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ChatOps.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ChatOps.sln not found above the test binaries");
    }
}
