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
    IEnvironmentStore environments,
    ReleaseRecorder recorder,
    StartDecisions starts,
    Paperwork paperwork,
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
        catch (LeaseHeldException held) when (current!.State == ReleaseState.NeedsAttention)
        {
            // No step runs in NeedsAttention (a stopped instance's hold is running out, or someone is resuming it):
            // a request left for the runner would be carried out after the point of no return as "too late".
            return Decision.No($"{held.Message} Nothing changed.");
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
        var stands = await releases.RequestCancelAsync(new AuditEvent(releaseId, current.Environment, user.Id, StopIntents.CancelAction, running.ToString(), null,
            $"cancel asked by {user} while {running} runs", clock.GetUtcNow()), cancellationToken);
        // If that step has already ended and nobody is advancing the release (it waits for approval), this picks the request up.
        queue.Enqueue(releaseId);
        // The first request stands: say what was kept, not what was asked.
        return stands switch
        {
            null => Decision.No($"An earlier stop of release #{releaseId} has just been carried out; nothing more was stored. /status {current.Environment} shows what runs now."),
            { RollsBack: true } when !Runbook.IsBeforePointOfNoReturn(current) => Decision.No(
                $"A rollback of release #{releaseId} asked by {stands.By} stands: it stops once {running} ends and rolls back what it moved. The cancel was not stored."),
            _ => Decision.Yes($"Cancelling release #{releaseId} once {running} ends."),
        };
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
    /// At a step boundary (or between two machines of a deploy), on whichever instance runs the release: a stop that
    /// was asked for while the step ran is carried out. A cancel before the point of no return cancels; after it, it
    /// is said to be too late. A stop to roll back ends the release and rolls back what it moved (a release that had
    /// changed nothing yet is simply cancelled). True when the release ended.
    /// </summary>
    public async Task<bool> CarryOutStopRequestAsync(Release release, CancellationToken leased)
    {
        // An ended release's request is for whoever ended it or asked it to take (see StartDecisions.AbortAsync).
        if (release.StopRequest is not { } request || !release.IsActive)
            return false;
        var by = request.By;
        var from = release.State;
        var workflow = new ReleaseWorkflow(release);
        if (Runbook.IsBeforePointOfNoReturn(release) || (request.RollsBack && !release.ChangedProduction && workflow.CanCancel))
        {
            release.CancelRequestedBy = by;
            workflow.Cancel();
            await recorder.FinishAsync(release, by, "cancel", from,
                request.RollsBack ? $"stopped by {by} before it changed anything: nothing to roll back" : $"cancelled by {by}", leased);
            await releases.ClearCancelRequestAsync(release.Id, leased);
            return true;
        }
        if (request.RollsBack && !release.ChangedProduction)
        {
            // Past the gate but before its first change (an approval got in before the stop): ended here, since a
            // rollback would redeploy images that never moved and lock the environment for nothing.
            workflow.StepFailed($"stopped by {by} at {CardLabel(from)} before it changed anything: nothing to roll back");
            await recorder.FinishAsync(release, by, "stop-to-roll-back", from, release.Error!, leased);
            await releases.ClearCancelRequestAsync(release.Id, leased);
            return true;
        }
        if (request.RollsBack)
        {
            var reason = $"stopped by {by} at {CardLabel(from)} to roll back";
            if (workflow.CanCompleteStep)
                workflow.StepFailed(reason);
            else
            {
                release.CancelRequestedBy = by;
                workflow.Cancel();
            }
            release.Outputs.RollbackAsked = request;
            await recorder.FinishAsync(release, by, "stop-to-roll-back", from, reason, leased);
            await releases.ClearCancelRequestAsync(release.Id, leased);
            // In the background: this release is held here, and starting its rollback holds it too.
            queue.Run($"rollback of stopped release {release.Id}", stopping => starts.RollBackStoppedAsync(release, request, stopping));
            return true;
        }
        release.StopRequest = null;
        await releases.ClearCancelRequestAsync(release.Id, leased);
        await recorder.SayAsync(release, $"The cancel of release #{release.Id} by {by} came too late: it is at {release.State}, past the point of no return. "
            + $"/rollback {release.Environment} stops it at the next safe point and rolls back what it moved.", leased);
        return false;
    }

    private static string CardLabel(ReleaseState state) => Cards.CardRenderer.Label(state.ToString());

    public async Task<Decision> ResumeAsync(long releaseId, ChatUser user, CancellationToken cancellationToken)
    {
        var decision = await held.DecideAsync(releaseId, async (release, leased) =>
        {
            if (release is { State: ReleaseState.Released, Outputs.PaperworkError: not null })
                return await paperwork.RedoAsync(release, user, leased);
            if ((rules.MayResume(release, releaseId, user)
                ?? ReleaseRules.IsFrozen(release!, await environments.GetAsync(release!.Environment, leased), clock.GetUtcNow())) is { } refusal)
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
