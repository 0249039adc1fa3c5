using ChatOps.Core.Store;

namespace ChatOps.Core.Runner;

/// <summary>At start-up and on every sweep: what another instance (or this one, before a crash) left unfinished.</summary>
public sealed class ReleaseRecovery(LeaseKeeper leases, IReleaseStore releases, RollbacksAfterEnd rollbacks, ReleaseQueue queue, TimeProvider clock)
{
    /// <summary>Takes over each unfinished release whose lease is free or expired, and starts rollbacks nobody started.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var id in await leases.UnclaimedAsync(cancellationToken))
            queue.Enqueue(id);
        // A release stopped to roll back whose rollback was never tried: the instance that stopped it died in between.
        // Looked at only once that instance's lease would have run out, so a live one starting it right now is left alone.
        var stale = clock.GetUtcNow() - leases.Ttl;
        foreach (var stopped in (await releases.ListAsync(null, activeOnly: false, limit: 100, cancellationToken))
            .Where(r => r is { IsActive: false, Outputs: { RollbackAsked: not null, RollbackReleaseId: null } } && r.UpdatedAt < stale))
            queue.Run($"rollback of stopped release {stopped.Id}", stopping => rollbacks.RollBackStoppedAsync(stopped, stopped.Outputs.RollbackAsked!, stopping));
    }
}
