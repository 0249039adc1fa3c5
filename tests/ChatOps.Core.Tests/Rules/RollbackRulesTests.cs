using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Settings;
using static ChatOps.Core.Tests.Rules.RuleRows;

namespace ChatOps.Core.Tests.Rules;

public sealed class RollbackRulesTests
{
    private static RollbackRules Rules(bool autoRollback) =>
        new(new ChatOpsSettings { Environments = new() { ["production"] = new EnvironmentSettings { AutoRollback = autoRollback } } });

    private static Release Failed(string changedBy)
    {
        var release = At(ReleaseState.Failed);
        release.Step(changedBy).Status = StepStatus.Done;
        return release;
    }

    [Theory]
    [InlineData(ReleaseState.Verify, "Deploy", true, true)]
    [InlineData(ReleaseState.Smoke, "Deploy", true, true)]
    [InlineData(ReleaseState.Smoke, "Migrate", true, true)]
    [InlineData(ReleaseState.Smoke, "Deploy", false, false)]
    [InlineData(ReleaseState.Deploy, "Deploy", true, false)]
    [InlineData(ReleaseState.Verify, "Backup", true, false)]
    public void A_release_rolls_itself_back_when_a_service_check_fails_after_it_changed_production(ReleaseState failedAt, string changedBy, bool autoRollback, bool due) =>
        Assert.Equal(due, Rules(autoRollback).ShouldAutoRollback(Failed(changedBy), failedAt));

    [Fact]
    public void A_failed_releases_roll_back_button_goes_stale_once_a_newer_change_moved_the_environment()
    {
        var failed = Failed("Deploy");
        var newer = At(ReleaseState.Released);
        newer.Id = 8;
        newer.Step("Deploy").Status = StepStatus.Done;

        Assert.Contains("is no longer the last change", RollbackRules.IsStaleToRollBack(failed, [newer, failed]));
        Assert.Null(RollbackRules.IsStaleToRollBack(failed, [failed]));
    }
}
