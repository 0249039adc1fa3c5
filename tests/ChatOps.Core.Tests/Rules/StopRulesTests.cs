using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using static ChatOps.Core.Tests.Rules.RuleRows;

namespace ChatOps.Core.Tests.Rules;

public sealed class StopRulesTests
{
    private static readonly StopRules Rules = new(Access);

    [Theory]
    [InlineData(ReleaseState.Preflight, "alice", null)]
    [InlineData(ReleaseState.AwaitApproval, "bob", null)]
    [InlineData(ReleaseState.Backup, "carol", "only its requester and approvers can")]
    [InlineData(ReleaseState.Backup, "mallory", "only its requester and approvers can")]
    [InlineData(ReleaseState.Deploy, "alice", "past the point of no return")]
    [InlineData(ReleaseState.Released, "alice", "already ended")]
    public void A_cancel_is_for_the_requester_or_an_approver_before_the_point_of_no_return(ReleaseState state, string who, string? refusal)
    {
        var answer = Rules.MayCancel(At(state), 7, Person(who));

        if (refusal is null)
            Assert.Null(answer);
        else
            Assert.Contains(refusal, answer);
    }

    [Fact]
    public void A_cancel_of_a_release_that_does_not_exist_names_its_number() =>
        Assert.Equal("There is no release #9.", Rules.MayCancel(null, 9, Person("alice")));

    [Theory]
    [InlineData("alice", true)]
    [InlineData("bob", true)]
    [InlineData("carol", false)]
    public void Stopping_a_running_release_is_for_its_requester_or_an_approver(string who, bool allowed) =>
        Assert.Equal(allowed, Rules.MayStop(At(ReleaseState.Deploy), Person(who)) is null);

    [Theory]
    [InlineData(ReleaseState.NeedsAttention, "carol", null)]
    [InlineData(ReleaseState.NeedsAttention, "bob", null)]
    [InlineData(ReleaseState.NeedsAttention, "mallory", "only releasers and approvers can")]
    [InlineData(ReleaseState.Deploy, "alice", "does not need attention")]
    public void Only_a_release_that_needs_attention_resumes_and_only_for_someone_with_a_role(ReleaseState state, string who, string? refusal)
    {
        var answer = Rules.MayResume(At(state), 7, Person(who));

        if (refusal is null)
            Assert.Null(answer);
        else
            Assert.Contains(refusal, answer);
    }
}
