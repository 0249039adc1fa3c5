using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;

namespace ChatOps.Core.Tests.Rules;

public sealed class RollbackPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly ChatUser Alice = new("test:alice");

    private static RollbackRequest Request(string? toTag = null, bool withDatabase = false) =>
        new("production", toTag, withDatabase, Alice, null, "test", Now);

    private static Release Deployed(long id, string tag, string? previous, string before, string after, ReleaseState state = ReleaseState.Released)
    {
        var release = new Release { Id = id, Kind = ReleaseKind.Release, Environment = "production", Tag = tag, PreviousTag = previous, State = state };
        release.Step("Deploy").Status = StepStatus.Done;
        release.Outputs.Machines.Add(new MachineImage { Service = "api", App = "api", MachineId = "m1", Before = before, After = after });
        return release;
    }

    [Fact]
    public void A_rollback_goes_back_to_the_tag_and_images_that_ran_before_the_latest_change()
    {
        var v2 = Deployed(2, "v2", "v1", "api:v1", "api:v2", ReleaseState.Failed);

        var plan = RollbackPlanner.Plan(Request(), null, [v2, Deployed(1, "v1", null, "api:v0", "api:v1")]);

        Assert.Null(plan.Refusal);
        Assert.Equal("v1", plan.Rollback!.Tag);
        Assert.Equal("api:v1", plan.Rollback.Outputs.RollbackTargets["api"]);
        Assert.Same(v2, plan.Undoes);
        Assert.Equal(Runbook.Start, plan.Rollback.State);
    }

    [Fact]
    public void A_rollback_to_a_tag_takes_the_images_that_tag_deployed()
    {
        var plan = RollbackPlanner.Plan(Request(toTag: "v1"), null, [Deployed(2, "v2", "v1", "api:v1", "api:v2"), Deployed(1, "v1", null, "api:v0", "api:v1-build7")]);

        Assert.Equal("api:v1-build7", plan.Rollback!.Outputs.RollbackTargets["api"]);
    }

    [Fact]
    public void A_release_already_rolled_back_is_not_rolled_back_twice()
    {
        var v2 = Deployed(2, "v2", "v1", "api:v1", "api:v2", ReleaseState.Failed);
        v2.Outputs.RollbackReleaseId = 3;
        var rollback = new Release { Id = 3, Kind = ReleaseKind.Rollback, Environment = "production", State = ReleaseState.RolledBack };

        var plan = RollbackPlanner.Plan(Request(), null, [rollback, v2]);

        Assert.Contains("already rolled back by #3", plan.Refusal);
    }

    [Fact]
    public void Nothing_to_roll_back_is_said_with_the_way_to_name_a_tag() =>
        Assert.Contains("--to <tag>", RollbackPlanner.Plan(Request(), null, []).Refusal);

    [Fact]
    public void A_database_restore_needs_a_recorded_backup() =>
        Assert.Contains("--with-db cannot restore", RollbackPlanner.Plan(Request(withDatabase: true), null, [Deployed(2, "v2", "v1", "api:v1", "api:v2")]).Refusal);
}
