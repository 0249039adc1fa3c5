using ChatOps.Core.Domain;
using ChatOps.Core.Rules;
using ChatOps.Core.Settings;
using ChatOps.Core.Store;

namespace ChatOps.Core.Tests.Rules;

public sealed class AccessPolicyTests
{
    private static readonly ChatUser Alice = new("console:alice");
    private static readonly ChatUser Bob = new("console:bob");
    private static readonly ChatUser Carol = new("telegram:42");

    private static AccessPolicy Policy(bool distinct = true) => new(new AccessSettings
    {
        Releasers = ["console:alice", "console:bob"],
        Approvers = ["console:bob", "console:alice"],
        RequireDistinctApprover = distinct,
    });

    [Fact]
    public void Approve_by_requester_is_refused_when_distinct_approver_required() =>
        Assert.Contains("four-eyes", Policy().CanApprove(Alice, Alice));

    [Fact]
    public void Approve_by_requester_is_allowed_when_the_rule_is_off() =>
        Assert.Null(Policy(distinct: false).CanApprove(Alice, Alice));

    [Fact]
    public void Approve_by_another_approver_is_allowed() =>
        Assert.Null(Policy().CanApprove(Bob, Alice));

    [Fact]
    public void Approve_by_someone_without_the_role_is_refused() =>
        Assert.Contains("not an approver", Policy().CanApprove(Carol, Alice));

    [Fact]
    public void Only_releasers_may_release()
    {
        Assert.Null(Policy().CanRelease(Alice));
        Assert.Contains("not a releaser", Policy().CanRelease(Carol));
    }

    [Fact]
    public void Roles_are_matched_without_regard_to_case() =>
        Assert.Null(Policy().CanRelease(new ChatUser("console:ALICE")));
}

public sealed class IdentityComparisonTests
{
    private static readonly LockRules Rules = new(new AccessPolicy(new AccessSettings
    {
        Releasers = ["console:alice", "console:bob"],
        Approvers = ["console:bob", "console:alice"],
    }));

    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_lock_is_ones_own_only_when_the_ids_match_exactly_so_casing_does_not_unlock_someone_elses_lock()
    {
        var held = new EnvironmentLock("production", "console:alice", "incident", Now, null);

        var verdict = Rules.MayUnlock(new ChatUser("console:ALICE"), "production", held, force: false, Now);

        Assert.False(verdict.Own);
        Assert.Contains("Only they can unlock it", verdict.Refusal);
    }
}
