using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Store;
using static ChatOps.Core.Tests.Rules.RuleRows;

namespace ChatOps.Core.Tests.Rules;

public sealed class GateRulesTests
{
    private static readonly GateRules Rules = new(Access);

    private static Release Waiting(string planHash = "plan-1")
    {
        var release = At(ReleaseState.AwaitApproval);
        release.Step(Runbook.ApprovalStep).Status = StepStatus.Waiting;
        release.Outputs.PlanHash = planHash;
        return release;
    }

    private static ActionToken Button(CardAction action, string? planHash = "plan-1", DateTimeOffset? usedAt = null, long releaseId = 7) =>
        new("t", releaseId, action, "AwaitApproval:1", planHash, Now.AddMinutes(-5), Now.AddMinutes(25), usedAt);

    [Theory]
    [InlineData("bob", true, null, true)]
    [InlineData("bob", false, null, true)]
    [InlineData("alice", false, null, true)]
    [InlineData("alice", true, "is not an approver", true)]
    [InlineData("carol", false, "only its requester and approvers can", true)]
    public void Approving_is_for_an_approver_and_rejecting_also_for_the_requester(string who, bool approve, string? refusal, bool audited)
    {
        var verdict = Rules.AtGate(Waiting(), 7, Button(approve ? CardAction.Approve : CardAction.Reject), Person(who), approve, Now);

        if (refusal is null)
            Assert.Null(verdict.Refusal);
        else
        {
            Assert.Contains(refusal, verdict.Refusal);
            Assert.Equal(audited, verdict.Audit);
        }
    }

    [Fact]
    public void An_approval_of_a_plan_that_changed_since_it_was_asked_for_is_refused() =>
        Assert.Contains("The plan changed", Rules.AtGate(Waiting("plan-2"), 7, Button(CardAction.Approve), Person("bob"), true, Now).Refusal);

    [Fact]
    public void A_used_button_is_no_longer_valid() =>
        Assert.Contains("no longer valid", Rules.AtGate(Waiting(), 7, Button(CardAction.Approve, usedAt: Now.AddMinutes(-1)), Person("bob"), true, Now).Refusal);

    [Fact]
    public void A_button_of_another_release_is_no_longer_valid_here() =>
        Assert.Contains("no longer valid", Rules.AtGate(Waiting(), 7, Button(CardAction.Approve, releaseId: 8), Person("bob"), true, Now).Refusal);

    [Fact]
    public void A_stored_stop_is_carried_out_before_any_approval()
    {
        var release = Waiting();
        release.StopRequest = new StopRequest("test:alice", StopIntent.Cancel, Now.AddMinutes(-1));

        var verdict = Rules.AtGate(release, 7, Button(CardAction.Approve), Person("bob"), true, Now);

        Assert.Contains("it is carried out first", verdict.Refusal);
        Assert.False(verdict.Audit);
    }

    [Fact]
    public void A_gate_still_preparing_its_plan_takes_no_approval_yet()
    {
        var release = Waiting();
        release.Step(Runbook.ApprovalStep).Status = StepStatus.Running;

        Assert.Contains("still preparing", Rules.AtGate(release, 7, Button(CardAction.Approve), Person("bob"), true, Now).Refusal);
    }

    [Theory]
    [InlineData(CardAction.Cancel, "This Cancel button is no longer valid")]
    [InlineData(CardAction.Rollback, "This Roll back button is no longer valid")]
    [InlineData(CardAction.Approve, "This button is no longer valid")]
    public void A_spent_button_says_which_button_it_was(CardAction action, string refusal) =>
        Assert.StartsWith(refusal, GateRules.MayPress(Button(action, usedAt: Now), Now));

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void An_approval_has_expired_once_its_gate_waits_with_no_approve_button_left(bool buttonLeft, bool expired) =>
        Assert.Equal(expired, GateRules.HasExpired(Waiting(), buttonLeft ? [Button(CardAction.Approve)] : [Button(CardAction.Reject)]));
}
