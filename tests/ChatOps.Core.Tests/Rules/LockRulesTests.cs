using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Store;
using static ChatOps.Core.Tests.Rules.RuleRows;

namespace ChatOps.Core.Tests.Rules;

public sealed class LockRulesTests
{
    private static readonly LockRules Rules = new(Access);

    private static EnvironmentLock HeldBy(string who, DateTimeOffset? until = null) => new("production", $"test:{who}", "incident", Now.AddHours(-1), until);

    [Theory]
    [InlineData("alice", "alice", false, null, true)]
    [InlineData("bob", "alice", false, "Only they can unlock it", false)]
    [InlineData("carol", "alice", true, "Only they can unlock it", false)]
    [InlineData("bob", "alice", true, null, false)]
    [InlineData("mallory", "mallory", false, "only releasers and approvers can", true)]
    public void A_lock_is_lifted_by_its_holder_or_forced_by_an_approver(string who, string holder, bool force, string? refusal, bool own)
    {
        var verdict = Rules.MayUnlock(Person(who), "production", HeldBy(holder), force, Now);

        Assert.Equal(own, verdict.Own);
        if (refusal is null)
            Assert.Null(verdict.Refusal);
        else
            Assert.Contains(refusal, verdict.Refusal);
    }

    [Fact]
    public void A_lock_that_has_run_out_is_not_there_to_unlock() =>
        Assert.Equal("production is not locked.", Rules.MayUnlock(Person("alice"), "production", HeldBy("alice", Now.AddMinutes(-1)), false, Now).NothingToDo);

    [Fact]
    public void The_bots_own_lock_counts_as_everyones_own() =>
        Assert.Null(Rules.MayUnlock(Person("carol"), "production", HeldBy("x") with { LockedBy = "chatops:auto-rollback" }, false, Now).Refusal);

    [Theory]
    [InlineData(ReleaseKind.Release, true, true)]
    [InlineData(ReleaseKind.Release, false, false)]
    [InlineData(ReleaseKind.Rollback, true, false)]
    public void A_live_lock_freezes_releases_but_never_rollbacks(ReleaseKind kind, bool live, bool frozen)
    {
        var release = At(ReleaseState.Deploy);
        release.Kind = kind;
        var environment = new EnvironmentState("production", [], null, HeldBy("bob", live ? null : Now.AddMinutes(-5)));

        Assert.Equal(frozen, LockRules.IsFrozen(release, environment, Now) is not null);
    }

    [Theory]
    [InlineData("alice", false, null)]
    [InlineData("alice", true, "locked by test:bob")]
    [InlineData("mallory", false, "is not a releaser")]
    public void A_release_starts_only_for_a_releaser_in_an_unlocked_environment(string who, bool locked, string? refusal)
    {
        var environment = new EnvironmentState("production", [], null, locked ? HeldBy("bob") : null);

        var answer = Rules.MayStartRelease(Person(who), "production", environment, Now);

        if (refusal is null)
            Assert.Null(answer);
        else
            Assert.Contains(refusal, answer);
    }
}
