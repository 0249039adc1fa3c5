using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;

namespace ChatOps.Core.Decisions;

/// <summary>Cancel and resume: decided by the rules, then written under the release's lease (or, while a step runs, queued in the store).</summary>
public sealed class StopDecisions(
    ReleaseRules rules,
    HeldRelease held,
    LeaseKeeper leases,
    IReleaseStore releases,
    ReleaseRecorder recorder,
    ReleaseQueue queue,
    TimeProvider clock)
{
    public async Task<Decision> CancelAsync(long releaseId, ChatUser user, CancellationToken cancellationToken)
    {
        var current = await releases.GetAsync(releaseId, cancellationToken);
        if (rules.MayCancel(current, releaseId, user) is { } refusal)
            return Decision.No(refusal);
        try
        {
            // A short wait lets a moment's bookkeeping (a card edit, the sweep looking at a waiting release) finish.
            return await leases.HoldAsync(releaseId, async leased =>
            {
                var release = await releases.GetAsync(releaseId, cancellationToken);
                return rules.MayCancel(release, releaseId, user) is { } late
                    ? Decision.No(late)
                    : await CancelNowAsync(release!, user, leased);
            }, cancellationToken, busyAfter: TimeSpan.FromSeconds(1));
        }
        catch (LeaseHeldException)
        {
            // A step of it is running, here or on another instance: leave the request where the runner will find it.
        }
        catch (LeaseLostException)
        {
            return Decision.No($"Another ChatOps instance took release #{releaseId} over while it was being cancelled; nothing changed. Try again.");
        }

        var running = current!.State;
        await releases.RequestCancelAsync(new AuditEvent(releaseId, current.Environment, user.Id, "cancel-requested", running.ToString(), null,
            $"cancel asked by {user} while {running} runs", clock.GetUtcNow()), cancellationToken);
        // If that step has already ended and nobody is advancing the release (it waits for approval), this picks the request up.
        queue.Enqueue(releaseId);
        return Decision.Yes($"Cancelling release #{releaseId} once {running} ends.");
    }

    private async Task<Decision> CancelNowAsync(Release release, ChatUser user, CancellationToken cancellationToken)
    {
        var from = release.State;
        release.CancelRequestedBy = user.Id;
        new ReleaseWorkflow(release).Cancel();
        await recorder.FinishAsync(release, user.Id, "cancel", from, $"cancelled by {user}", cancellationToken);
        return Decision.Yes($"Release #{release.Id} cancelled by {user}. Nothing was deployed.");
    }

    /// <summary>
    /// At a step boundary, on whichever instance runs the release: a /cancel that was queued while the step ran is
    /// carried out, or, past the point of no return, said to be too late. True when the release was cancelled.
    /// </summary>
    public async Task<bool> CarryOutRequestedCancelAsync(Release release, CancellationToken leased)
    {
        if (release.CancelRequestedBy is not { } canceller)
            return false;
        if (Runbook.IsBeforePointOfNoReturn(release))
        {
            var from = release.State;
            new ReleaseWorkflow(release).Cancel();
            await recorder.FinishAsync(release, canceller, "cancel", from, $"cancelled by {canceller}", leased);
            await releases.ClearCancelRequestAsync(release.Id, leased);
            return true;
        }
        release.CancelRequestedBy = null;
        await releases.ClearCancelRequestAsync(release.Id, leased);
        await recorder.SayAsync(release, $"The cancel of release #{release.Id} by {canceller} came too late: it is at {release.State}, past the point of no return. "
            + $"/rollback {release.Environment} if it goes wrong.", leased);
        return false;
    }

    public async Task<Decision> ResumeAsync(long releaseId, ChatUser user, CancellationToken cancellationToken)
    {
        var decision = await held.DecideAsync(releaseId, async (release, leased) =>
        {
            if (rules.MayResume(release, releaseId, user) is { } refusal)
                return Decision.No(refusal);
            var step = release!.StoppedAt;
            new ReleaseWorkflow(release).Resume();
            if (step is not null)
                release.Step(step.Value.ToString()).Status = StepStatus.Pending;
            await recorder.SaveAsync(release, user.Id, "resume", ReleaseState.NeedsAttention, $"resumed by {user}", leased);
            return Decision.Yes($"Release #{releaseId} resumes at {step}.");
        }, cancellationToken);
        if (decision.Accepted)
            queue.Enqueue(releaseId);
        return decision;
    }
}
