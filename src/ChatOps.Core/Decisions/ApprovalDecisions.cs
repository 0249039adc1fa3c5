using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Decisions;

/// <summary>Approve, reject, and the expiry of an approval nobody gave: decided by the rules, then written under the release's lease.</summary>
public sealed class ApprovalDecisions(
    ReleaseRules rules,
    HeldRelease held,
    IReleaseStore releases,
    IEnvironmentStore environments,
    ReleaseButtons buttons,
    ReleaseRecorder recorder,
    ReleaseQueue queue,
    ReleaseAnnouncer announcer,
    ChatOpsSettings settings,
    Chat.People people,
    TimeProvider clock)
{
    /// <param name="token">The pressed button's token; null for a typed /approve or /reject, which takes the open button.</param>
    public async Task<Decision> DecideAsync(long releaseId, string? token, ChatUser user, bool approve, CancellationToken cancellationToken)
    {
        // A press the stored release already refuses is answered at once: it never waits for the lease behind a
        // step that is still building the plan (migration previews on a slow Fly take minutes).
        var stored = await releases.GetAsync(releaseId, cancellationToken);
        if ((await JudgeAsync(stored, releaseId, token, user, approve, cancellationToken)).Refusal is { } early)
        {
            // The stop the approval gave way to is carried out now, not at the next sweep.
            if (stored?.StopRequest is not null)
                queue.Enqueue(releaseId);
            return early;
        }
        var decision = await held.DecideAsync(releaseId, async (release, leased) =>
        {
            var (refusal, button) = await JudgeAsync(release, releaseId, token, user, approve, leased);
            return refusal ?? (approve ? await ApproveAsync(release!, button!, user, leased) : await RejectAsync(release!, user, leased));
        }, cancellationToken);
        if (decision.Accepted && approve)
            queue.Enqueue(releaseId);
        return decision;
    }

    /// <summary>The rules' refusal, audited where they say so, or none and the button the decision spends.</summary>
    private async Task<(Decision? Refusal, ActionToken? Button)> JudgeAsync(Release? release, long releaseId, string? token, ChatUser user, bool approve, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var found = release is null ? null : await OpenButtonAsync(releaseId, token, approve, cancellationToken);
        var verdict = rules.AtGate(release, releaseId, found, user, approve, now);
        if (verdict.Refusal is null && approve && ReleaseRules.IsFrozen(release!, await environments.GetAsync(release!.Environment, cancellationToken), now) is { } frozen)
            verdict = GateVerdict.Audited(frozen);
        // The promotion rule holds until the point of no return, which this approval opens.
        if (verdict.Refusal is null && approve && release!.Outputs.Promotion is { SkippedBy: null, SourceReleaseId: not null } promotion
            && PromotionRule.StillHolds(release, await releases.ListAsync(promotion.From, activeOnly: false, limit: 200, cancellationToken)) is { } stale)
            verdict = GateVerdict.Audited(stale);
        if (verdict.Refusal is not { } refusal)
            return (null, found);
        if (verdict.Audit)
            await releases.AppendAsync(new AuditEvent(release!.Id, release.Environment, user.Id, "refused", release.State.ToString(), null, refusal, now), cancellationToken);
        return (Decision.No(refusal), null);
    }

    private async Task<ActionToken?> OpenButtonAsync(long releaseId, string? token, bool approve, CancellationToken cancellationToken)
    {
        var action = approve ? CardAction.Approve : CardAction.Reject;
        return token is null
            ? (await buttons.OpenAsync(releaseId, cancellationToken)).FirstOrDefault(t => t.Action == action)
            : await buttons.FindAsync(token, cancellationToken);
    }

    private async Task<Decision> ApproveAsync(Release release, ActionToken button, ChatUser user, CancellationToken cancellationToken)
    {
        var gate = CloseGate(release, StepStatus.Done, $"approved by {people.NameOf(user.Id)}");
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
        var gate = CloseGate(release, StepStatus.Failed, $"rejected by {people.NameOf(user.Id)}");
        release.Outputs.RejectedBy = user.Id;
        new ReleaseWorkflow(release).Reject();
        await recorder.FinishAsync(release, user.Id, "reject", ReleaseState.AwaitApproval, gate.Detail, cancellationToken);
        return Decision.Yes($"Rejected by {user}: release #{release.Id} is cancelled; nothing was deployed.");
    }

    /// <summary>
    /// At three quarters of the timeout the approvers are reminded, once per gate; an approval nobody decided in time
    /// cancels the release (the tag and backup stay), and the closing message says so.
    /// </summary>
    public async Task ExpireAsync(CancellationToken cancellationToken)
    {
        foreach (var waiting in await releases.ListAsync(null, activeOnly: true, limit: 1000, cancellationToken))
        {
            if (waiting.State != ReleaseState.AwaitApproval)
                continue;
            await held.DecideAsync(waiting.Id, async (release, leased) =>
            {
                var open = release is null ? [] : await buttons.OpenAsync(release.Id, cancellationToken);
                if (!ReleaseRules.HasExpired(release, open))
                    return await RemindIfDueAsync(release!, open, leased);
                var gate = CloseGate(release!, StepStatus.Failed, $"nobody approved within {settings.Access.ApprovalTimeout}");
                new ReleaseWorkflow(release!).Expire();
                await recorder.FinishAsync(release!, ReleaseRecorder.System, "expire", ReleaseState.AwaitApproval, gate.Detail, leased);
                return Decision.Yes("expired");
            }, cancellationToken);
        }
    }

    private async Task<Decision> RemindIfDueAsync(Release release, IReadOnlyList<ActionToken> open, CancellationToken cancellationToken)
    {
        if (release.State != ReleaseState.AwaitApproval || open.FirstOrDefault(t => t.Action == CardAction.Approve) is not { } approve)
            return Decision.No("no gate");
        var due = approve.CreatedAt + (approve.ExpiresAt - approve.CreatedAt) * 0.75;
        if (clock.GetUtcNow() < due || release.Outputs.RemindedGate == approve.Gate)
            return Decision.No("no reminder due");
        // Written before it is said: a crash in between skips a reminder rather than repeating it.
        release.Outputs.RemindedGate = approve.Gate;
        await recorder.CheckpointAsync(release, cancellationToken);
        await announcer.GateReminderAsync(release, approve, cancellationToken);
        return Decision.Yes("reminded");
    }

    private StepRecord CloseGate(Release release, StepStatus status, string detail)
    {
        var gate = release.Step(nameof(ReleaseState.AwaitApproval));
        gate.FinishedAt = clock.GetUtcNow();
        gate.Status = status;
        gate.Detail = detail;
        return gate;
    }
}
