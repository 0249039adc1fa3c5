using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Store;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>Starts a rollback from its plan, and marks the release it undoes once that release is free to be written.</summary>
public sealed class RollbackStarter(IReleaseStore releases, LeaseKeeper leases, ReleaseRecorder recorder, ReleaseButtons buttons, ReleaseStarter starter, ReleaseQueue queue,
    ILogger<RollbackStarter> log)
{
    public async Task<StartResult> RollBackAsync(Release? failed, RollbackRequest request, IReadOnlyList<Release> recent, CancellationToken cancellationToken)
    {
        var plan = RollbackPlanner.Plan(request, failed, recent);
        if (plan.Rollback is not { } rollback)
            return StartResult.No(plan.Refusal!);
        var started = await starter.StartAsync(rollback, request.User,
            $"rollback to {rollback.Tag} requested{(request.WithDatabase ? " with database restore" : "")}", cancellationToken);
        // In the background: the rolled-back release may still be held by its runner (GitHub answering its last
        // status can take minutes), and the rollback is started already; only its link waits for that.
        if (started.Release is { } linked && plan.Undoes is { } bad)
            queue.Run($"link of rollback {linked.Id} to release {bad.Id}", stopping => LinkRollbackAsync(bad.Id, linked.Id, stopping));
        return started;
    }

    /// <summary>
    /// Takes the rolled-back release's Roll back button away and redraws its card. The mark itself was written by the
    /// store with the rollback's start (<see cref="Release.RollbackOf"/>), so nothing here can leave it unmarked.
    /// </summary>
    private async Task LinkRollbackAsync(long badId, long rollbackId, CancellationToken cancellationToken)
    {
        try
        {
            await leases.HoldAsync(badId, async leased =>
            {
                if (await releases.GetAsync(badId, leased) is not { } stored)
                    return 0;
                stored.Outputs.RollbackReleaseId = rollbackId;
                await recorder.CheckpointAsync(stored, leased);
                await buttons.VoidAsync(stored.Id, ReleaseButtons.RollbackGate, leased);
                await recorder.PublishAsync(stored, leased);
                return 0;
            }, cancellationToken);
        }
        catch (Exception e) when (e is LeaseHeldException or LeaseLostException)
        {
            log.LogWarning("Could not mark release {ReleaseId} as rolled back by {RollbackId}: another instance holds it", badId, rollbackId);
        }
    }
}
