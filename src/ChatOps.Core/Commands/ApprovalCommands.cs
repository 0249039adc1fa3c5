using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Runner;
using ChatOps.Core.Store;
namespace ChatOps.Core.Commands;

/// <summary>Approve, reject, and the expiry of an approval nobody gave: decided by the rules, then written under the release's lease.</summary>
public sealed class ApprovalCommands(
    GateJudge judge,
    HeldRelease held,
    ReleaseButtons buttons,
    ReleaseRecorder recorder,
    ReleaseEnd end,
    ReleaseQueue queue,
    People people,
    TimeProvider clock) : ICommandHandler
{
    public bool Handles(ChatCommand command) => command is ApproveCommand or RejectCommand;

    public async Task<BotReply> HandleAsync(ChatCommand command, Sender sender, CancellationToken cancellationToken) => BotReply.Of(command switch
    {
        ApproveCommand approve => await DecideAsync(approve.ReleaseId, null, sender.User, approve: true, cancellationToken),
        RejectCommand reject => await DecideAsync(reject.ReleaseId, null, sender.User, approve: false, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    });

    /// <param name="token">The pressed button's token; null for a typed /approve or /reject, which takes the open button.</param>
    public async Task<Decision> DecideAsync(long releaseId, string? token, ChatUser user, bool approve, CancellationToken cancellationToken)
    {
        // A press the stored release already refuses is answered at once: it never waits for the lease behind a
        // step that is still building the plan (migration previews on a slow Fly take minutes).
        var (stored, early) = await judge.JudgeStoredAsync(releaseId, token, user, approve, cancellationToken);
        if (early is not null)
        {
            // The stop the approval gave way to is carried out now, not at the next sweep.
            if (stored?.StopRequest is not null)
                queue.Enqueue(releaseId);
            return early;
        }
        var decision = await held.DecideAsync(releaseId, async (release, leased) =>
        {
            var (refusal, button) = await judge.JudgeAsync(release, releaseId, token, user, approve, leased);
            return refusal ?? (approve ? await ApproveAsync(release!, button!, user, leased) : await RejectAsync(release!, user, leased));
        }, cancellationToken);
        if (decision.Accepted && approve)
            queue.Enqueue(releaseId);
        return decision;
    }

    private async Task<Decision> ApproveAsync(Release release, ActionToken button, ChatUser user, CancellationToken cancellationToken)
    {
        var gate = new ReleaseWorkflow(release).CloseGate(StepStatus.Done, $"approved by {people.NameOf(user.Id)}", clock.GetUtcNow());
        release.Outputs.ApprovedBy = user.Id;
        new ReleaseWorkflow(release).Approve();
        // The approval is written down before its button is spent: a bot that stops in between leaves an approved
        // release that continues (and an open button that the state no longer accepts), never a spent button on a
        // release still waiting. The lease keeps two decisions on this gate apart.
        await recorder.RecordAsync(release, user.Id, "approve", ReleaseState.AwaitApproval, gate.Detail, cancellationToken);
        await buttons.SpendAsync(button, user.Id, cancellationToken);
        await recorder.PublishAsync(release, cancellationToken);
        return Decision.Yes($"Approved by {user}: release #{release.Id} continues.");
    }

    private async Task<Decision> RejectAsync(Release release, ChatUser user, CancellationToken cancellationToken)
    {
        // Written down first too; ending the release voids every button of it, this one included.
        var gate = new ReleaseWorkflow(release).CloseGate(StepStatus.Failed, $"rejected by {people.NameOf(user.Id)}", clock.GetUtcNow());
        release.Outputs.RejectedBy = user.Id;
        new ReleaseWorkflow(release).Reject();
        await end.FinishAsync(release, user.Id, "reject", ReleaseState.AwaitApproval, gate.Detail, cancellationToken);
        return Decision.Yes($"Rejected by {user}: release #{release.Id} is cancelled; nothing was deployed.");
    }


}
