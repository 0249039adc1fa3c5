using ChatOps.Core.Access;
using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Runner;

/// <summary>What people decide: approve, reject, cancel, resume. Each is checked, applied under the release's lock and audited.</summary>
public sealed partial class ReleaseRunner
{
    private AccessPolicy Access => new(settings.Access);

    public async Task<Decision> DecideAsync(long releaseId, string? token, ChatUser user, bool approve, CancellationToken cancellationToken)
    {
        var decision = await DecideUnderLeaseAsync(releaseId, async release =>
        {
            if (release is null)
                return Decision.No($"There is no release #{releaseId}.");
            if (release.State != ReleaseState.AwaitApproval)
                return Decision.No($"Release #{releaseId} is not waiting for approval; it is {release.State}.");
            var now = clock.GetUtcNow();
            var action = approve ? CardAction.Approve : CardAction.Reject;
            var found = token is null
                ? (await approvals.OpenAsync(releaseId, now, cancellationToken)).FirstOrDefault(t => t.Action == action)
                : await approvals.FindAsync(token, cancellationToken);
            if (found is null || found.ReleaseId != releaseId || found.Action != action || !found.IsOpen(now))
                return await RefuseAsync(release, user, "This button is no longer valid: it was used, it expired, or the plan changed. Use the latest card.", cancellationToken);
            var refusal = approve ? Access.CanApprove(user, release.RequestedBy) : Access.CanStop(user, release.RequestedBy);
            if (refusal is not null)
                return await RefuseAsync(release, user, refusal, cancellationToken);
            if (approve && found.PlanHash != release.Outputs.PlanHash)
                return await RefuseAsync(release, user, "The plan changed since this approval was asked for; approve the new card.", cancellationToken);

            var workflow = new ReleaseWorkflow(release);
            var gate = release.Step(nameof(ReleaseState.AwaitApproval));
            gate.FinishedAt = now;
            if (approve)
            {
                release.Outputs.ApprovedBy = user.Id;
                gate.Status = StepStatus.Done;
                gate.Detail = $"approved by {user}";
                workflow.Approve();
                // The approval is written down before its button is spent: a bot that stops in between leaves an
                // approved release that continues (and an open button that the state no longer accepts), never a
                // spent button on a release still waiting. The lease keeps two decisions on this gate apart.
                await RecordAsync(release, user.Id, "approve", ReleaseState.AwaitApproval, gate.Detail, cancellationToken);
                await approvals.UseAsync(found.Token, user.Id, now, cancellationToken);
                await PublishCardAsync(release, cancellationToken);
                return Decision.Yes($"Approved by {user}: release #{releaseId} continues.");
            }
            // Written down first too; ending the release voids every button of it, this one included.
            release.Outputs.RejectedBy = user.Id;
            gate.Status = StepStatus.Failed;
            gate.Detail = $"rejected by {user}";
            workflow.Reject();
            await FinishAsync(release, user.Id, "reject", ReleaseState.AwaitApproval, gate.Detail, cancellationToken);
            return Decision.Yes($"Rejected by {user}: release #{releaseId} is cancelled; nothing was deployed.");
        }, cancellationToken);
        if (decision.Accepted && approve)
            Enqueue(releaseId);
        return decision;
    }

    public async Task<Decision> CancelAsync(long releaseId, ChatUser user, CancellationToken cancellationToken)
    {
        var current = await releases.GetAsync(releaseId, cancellationToken);
        if (current is null)
            return Decision.No($"There is no release #{releaseId}.");
        if (Access.CanStop(user, current.RequestedBy) is { } refusal)
            return Decision.No(refusal);
        if (!current.IsActive)
            return Decision.No($"Release #{releaseId} already ended: {current.State}.");
        if (!new ReleaseWorkflow(current).CanCancel)
            return Decision.No(PastPointOfNoReturn(current));
        try
        {
            // A short wait lets a moment's bookkeeping (a card edit, the sweep looking at a waiting release) finish.
            return await WithReleaseAsync(releaseId, (release, _) => CancelNowAsync(release, user, cancellationToken), cancellationToken,
                busyAfter: TimeSpan.FromSeconds(1));
        }
        catch (LeaseHeldException)
        {
            // A step of it is running, here or on another instance: leave the request where the runner will find it.
        }
        catch (LeaseLostException)
        {
            return Decision.No($"Another ChatOps instance took release #{releaseId} over while it was being cancelled; nothing changed. Try again.");
        }

        // A step is running (here or on another instance): the cancel takes effect when it ends, before the next step starts.
        await releases.RequestCancelAsync(new AuditEvent(releaseId, current.Environment, user.Id, "cancel-requested", current.State.ToString(), null,
            $"cancel asked by {user} while {current.State} runs", clock.GetUtcNow()), cancellationToken);
        // If that step has already ended and nobody is advancing the release (it waits for approval), this picks the request up.
        Enqueue(releaseId);
        return Decision.Yes($"Cancelling release #{releaseId} once {current.State} ends.");
    }

    private async Task<Decision> CancelNowAsync(Release? release, ChatUser user, CancellationToken cancellationToken)
    {
        if (release is null || !release.IsActive)
            return Decision.No($"Release #{release?.Id} already ended: {release?.State}.");
        var workflow = new ReleaseWorkflow(release);
        if (!workflow.CanCancel)
            return Decision.No(PastPointOfNoReturn(release));
        var from = release.State;
        release.CancelRequestedBy = user.Id;
        workflow.Cancel();
        await FinishAsync(release, user.Id, "cancel", from, $"cancelled by {user}", cancellationToken);
        return Decision.Yes($"Release #{release.Id} cancelled by {user}. Nothing was deployed.");
    }

    private async Task<Decision> DecideUnderLeaseAsync(long releaseId, Func<Release?, Task<Decision>> decide, CancellationToken cancellationToken)
    {
        try
        {
            return await WithReleaseAsync(releaseId, (release, _) => decide(release), cancellationToken);
        }
        catch (LeaseHeldException held)
        {
            return Decision.No(held.Message);
        }
        catch (LeaseLostException)
        {
            return Decision.No($"Another ChatOps instance took release #{releaseId} over while this was being decided; nothing changed. Try again.");
        }
    }

    public async Task<Decision> ResumeAsync(long releaseId, ChatUser user, CancellationToken cancellationToken)
    {
        var decision = await DecideUnderLeaseAsync(releaseId, async release =>
        {
            if (release is null)
                return Decision.No($"There is no release #{releaseId}.");
            if (!Access.IsReleaser(user) && !Access.IsApprover(user))
                return Decision.No($"{user} may not resume releases: only releasers and approvers can.");
            var workflow = new ReleaseWorkflow(release);
            if (!workflow.CanResume)
                return Decision.No($"Release #{releaseId} does not need attention; it is {release.State}.");
            var step = release.StoppedAt;
            workflow.Resume();
            if (step is not null)
                release.Step(step.Value.ToString()).Status = StepStatus.Pending;
            await SaveAsync(release, user.Id, "resume", ReleaseState.NeedsAttention, $"resumed by {user}", cancellationToken);
            return Decision.Yes($"Release #{releaseId} resumes at {step}.");
        }, cancellationToken);
        if (decision.Accepted)
            Enqueue(releaseId);
        return decision;
    }

    private static string PastPointOfNoReturn(Release release) =>
        $"Release #{release.Id} is at {release.State}: past the point of no return, it cannot be cancelled. Use /rollback {release.Environment} if it goes wrong.";

    private async Task<Decision> RefuseAsync(Release release, ChatUser user, string reason, CancellationToken cancellationToken)
    {
        await releases.AppendAsync(new AuditEvent(release.Id, release.Environment, user.Id, "refused", release.State.ToString(), null, reason, clock.GetUtcNow()), cancellationToken);
        return Decision.No(reason);
    }
}

/// <summary>The answer to a person's decision: accepted or not, and the words to show them.</summary>
public sealed record Decision(bool Accepted, string Message)
{
    public static Decision Yes(string message) => new(true, message);

    public static Decision No(string message) => new(false, message);
}
