using ChatOps.Core.Releases;
using ChatOps.Core.Store;

namespace ChatOps.Core.Runner;

/// <summary>
/// Where a release ends on the runner's side: its last step finished, or a stop asked for while a step ran (here or on
/// another instance) is carried out at the next safe point. What follows the end (a rollback) starts in the background.
/// </summary>
public sealed class ReleaseEndings(IReleaseStore releases, ReleaseEnd end, ReleaseRecorder recorder, RollbacksAfterEnd rollbacks, ReleaseQueue queue)
{
    /// <summary>
    /// A release whose last step ended: its end is written, then the rollback asked for while that step ran (or while
    /// the end was being written), else the auto-rollback its environment may want, in the background.
    /// </summary>
    public async Task FinishAsync(Release release, ReleaseState state, string action, string detail, CancellationToken leased)
    {
        // A /rollback asked for while this last step ran still stands: the release ended, and what it moved goes back.
        var pending = (await releases.GetAsync(release.Id, leased))?.StopRequest;
        if (pending is { RollsBack: true } && release.ChangedProduction)
            release.Outputs.RollbackAsked = pending;
        await end.FinishAsync(release, ReleaseRecorder.System, action, state, detail, leased);
        if (pending is not null)
            await releases.ClearCancelRequestAsync(release.Id, leased);
        // A /rollback that came while the end was being written: looked for once the end is written, as the
        // command looks for the end once its request is written; whichever takes the request starts the rollback.
        else if ((await releases.GetAsync(release.Id, leased))?.StopRequest is { RollsBack: true } late
            && release.ChangedProduction && await releases.ClearCancelRequestAsync(release.Id, leased))
        {
            pending = late;
            release.Outputs.RollbackAsked = late;
            await recorder.CheckpointAsync(release, leased);
        }
        // In the background: this release is held here, and starting a rollback holds it too.
        if (pending is { RollsBack: true } && release.ChangedProduction)
            queue.Run($"rollback of release {release.Id}", stopping => rollbacks.RollBackStoppedAsync(release, pending, stopping));
        else
            queue.Run($"auto-rollback of release {release.Id}", stopping => rollbacks.AutoRollBackIfDueAsync(release, state, stopping));
    }

    /// <summary>
    /// At a step boundary (or between two machines of a deploy), on whichever instance runs the release: a stop that
    /// was asked for while the step ran is carried out. A cancel before the point of no return cancels; after it, it
    /// is said to be too late. A stop to roll back ends the release and rolls back what it moved (a release that had
    /// changed nothing yet is simply cancelled). True when the release ended.
    /// </summary>
    public async Task<bool> CarryOutStopRequestAsync(Release release, CancellationToken leased)
    {
        // An ended release's request is for whoever ended it or asked it to take (see StopCommands.AbortAsync).
        if (release.StopRequest is not { } request || !release.IsActive)
            return false;
        var by = request.By;
        var from = release.State;
        var workflow = new ReleaseWorkflow(release);
        if (Runbook.IsBeforePointOfNoReturn(release) || (request.RollsBack && !release.ChangedProduction && workflow.CanCancel))
        {
            release.CancelRequestedBy = by;
            workflow.Cancel();
            await end.FinishAsync(release, by, "cancel", from,
                request.RollsBack ? $"stopped by {by} before it changed anything: nothing to roll back" : $"cancelled by {by}", leased);
            await releases.ClearCancelRequestAsync(release.Id, leased);
            return true;
        }
        if (request.RollsBack && !release.ChangedProduction)
        {
            // Past the gate but before its first change (an approval got in before the stop): ended here, since a
            // rollback would redeploy images that never moved and lock the environment for nothing.
            workflow.StepFailed($"stopped by {by} at {Runbook.Label(from.ToString())} before it changed anything: nothing to roll back");
            await end.FinishAsync(release, by, "stop-to-roll-back", from, release.Error!, leased);
            await releases.ClearCancelRequestAsync(release.Id, leased);
            return true;
        }
        if (request.RollsBack)
        {
            var reason = $"stopped by {by} at {Runbook.Label(from.ToString())} to roll back";
            if (workflow.CanCompleteStep)
                workflow.StepFailed(reason);
            else
            {
                release.CancelRequestedBy = by;
                workflow.Cancel();
            }
            release.Outputs.RollbackAsked = request;
            await end.FinishAsync(release, by, "stop-to-roll-back", from, reason, leased);
            await releases.ClearCancelRequestAsync(release.Id, leased);
            // In the background: this release is held here, and starting its rollback holds it too.
            queue.Run($"rollback of stopped release {release.Id}", stopping => rollbacks.RollBackStoppedAsync(release, request, stopping));
            return true;
        }
        release.StopRequest = null;
        await releases.ClearCancelRequestAsync(release.Id, leased);
        await recorder.SayAsync(release, $"The cancel of release #{release.Id} by {by} came too late: it is at {release.State}, past the point of no return. "
            + $"/rollback {release.Environment} stops it at the next safe point and rolls back what it moved.", leased);
        return false;
    }
}
