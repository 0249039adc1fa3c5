using System.Collections.Concurrent;
using ChatOps.Core.Releases;
using ChatOps.Core.Steps;
using ChatOps.Core.Store;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>
/// Holds a release for one piece of work: this process's lock on it and the shared lease in the store, renewed
/// while the work runs, so two bot instances never work on one release at the same time. When the lease cannot
/// be kept the work's token is cancelled, and every save is fenced by the lease, so a stalled instance cannot
/// overwrite what the new owner wrote.
/// </summary>
public sealed class LeaseKeeper(IReleaseLeases leases, RunnerSettings settings, TimeProvider clock, ILogger<LeaseKeeper> log)
{
    private readonly ConcurrentDictionary<long, Gate> _gates = new();

    public string Owner => settings.Owner;

    /// <summary>How many releases this process holds or waits for now; their locks are dropped when the work ends.</summary>
    internal int Locks => _gates.Count;

    /// <summary>Runs <paramref name="work"/> holding the release; its token is cancelled if the lease is lost.</summary>
    /// <param name="busyAfter">How long to wait for this process's lock before treating the release as busy
    /// (<see cref="LeaseHeldException"/>); null waits as long as it takes.</param>
    /// <exception cref="LeaseHeldException">Another instance holds the lease (or this one, past <paramref name="busyAfter"/>).</exception>
    /// <exception cref="LeaseLostException">The lease was lost while the work ran.</exception>
    public async Task<T> HoldAsync<T>(long releaseId, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken, TimeSpan? busyAfter = null)
    {
        var gate = Enter(releaseId);
        try
        {
            if (!await gate.Semaphore.WaitAsync(busyAfter ?? Timeout.InfiniteTimeSpan, cancellationToken))
                throw new LeaseHeldException(releaseId);
            try
            {
                return await UnderLeaseAsync(releaseId, work, cancellationToken);
            }
            finally
            {
                gate.Semaphore.Release();
            }
        }
        finally
        {
            Leave(releaseId, gate);
        }
    }

    /// <summary>Releases whose lease is free or expired: after a restart, or when the instance that ran them died.</summary>
    /// <summary>How long a claim lasts unless renewed: after it, work an instance was doing is taken to have died with it.</summary>
    public TimeSpan Ttl => settings.LeaseTtl;

    public Task<IReadOnlyList<long>> UnclaimedAsync(CancellationToken cancellationToken) =>
        leases.UnclaimedAsync(cancellationToken);

    private async Task<T> UnderLeaseAsync<T>(long releaseId, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!await leases.TryClaimAsync(releaseId, settings.Owner, settings.LeaseTtl, cancellationToken))
            throw new LeaseHeldException(releaseId);
        using var leased = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The store decides expiry on its own clock; this instance's clock only times its renewals and its giving up.
        var renewing = KeepAsync(releaseId, now + settings.LeaseTtl, leased, renewal.Token);
        try
        {
            return await work(leased.Token);
        }
        catch (OperationCanceledException) when (leased.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new LeaseLostException(releaseId, settings.Owner);
        }
        finally
        {
            await renewal.CancelAsync();
            await renewing;
            await GiveBackAsync(releaseId);
        }
    }

    /// <summary>
    /// Renews every third of the lease's lifetime. A renewal that fails (the store is briefly away) is tried again
    /// until the lease would run out; then, or when another instance has the lease, the work is cancelled at once.
    /// Each renewal has its own deadline, never later than the moment the work must stop: a call that hangs (a
    /// connection whose peer vanished) would otherwise keep the work going past the lease's expiry, when another
    /// instance may already have taken the release over.
    /// </summary>
    private async Task KeepAsync(long releaseId, DateTimeOffset heldUntil, CancellationTokenSource work, CancellationToken cancellationToken)
    {
        var every = settings.LeaseTtl / 3;
        // Time for the work to notice its cancellation before the lease, as this instance counts it, runs out.
        var margin = settings.LeaseTtl / 10;
        try
        {
            while (true)
            {
                await Task.Delay(every, clock, cancellationToken);
                var now = clock.GetUtcNow();
                var stopBy = heldUntil - margin;
                var deadline = stopBy - now < settings.LeaseTtl / 3 ? stopBy - now : settings.LeaseTtl / 3;
                switch (deadline > TimeSpan.Zero ? await TryRenewAsync(releaseId, deadline, cancellationToken) : null)
                {
                    case true:
                        heldUntil = now + settings.LeaseTtl;
                        continue;
                    case false:
                        log.LogWarning("Lost the lease on release {ReleaseId} to another instance; stopping work on it here", releaseId);
                        await work.CancelAsync();
                        return;
                    case null when clock.GetUtcNow() + every >= stopBy:
                        log.LogWarning("Could not renew the lease on release {ReleaseId} before it runs out; stopping work on it here", releaseId);
                        await work.CancelAsync();
                        return;
                    case null:
                        every = settings.LeaseTtl / 10;
                        continue;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The work ended.
        }
    }

    /// <summary>
    /// True when renewed, false when another owner has it, null when the store could not be asked or did not answer
    /// within <paramref name="deadline"/>.
    /// </summary>
    private async Task<bool?> TryRenewAsync(long releaseId, TimeSpan deadline, CancellationToken cancellationToken)
    {
        // On this instance's clock, as the renewals are timed.
        using var expiry = new CancellationTokenSource(deadline, clock);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            return await leases.RenewAsync(releaseId, settings.Owner, settings.LeaseTtl, attempt.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            log.LogWarning("Renewing the lease on release {ReleaseId} did not answer within {Deadline}; giving that call up", releaseId, deadline);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Renewing the lease on release {ReleaseId} failed; trying again", releaseId);
            return null;
        }
    }

    private async Task GiveBackAsync(long releaseId)
    {
        try
        {
            await leases.ReleaseAsync(releaseId, settings.Owner, CancellationToken.None);
        }
        catch (Exception e)
        {
            // It expires on its own; another instance takes the release over then.
            log.LogWarning(e, "Could not give back the lease on release {ReleaseId}", releaseId);
        }
    }

    /// <summary>Per-release locks are counted and dropped when nobody holds or waits for them, so memory stays flat.</summary>
    private Gate Enter(long releaseId)
    {
        while (true)
        {
            var gate = _gates.GetOrAdd(releaseId, _ => new Gate());
            lock (gate)
            {
                if (gate.Users >= 0)
                {
                    gate.Users++;
                    return gate;
                }
            }
        }
    }

    private void Leave(long releaseId, Gate gate)
    {
        lock (gate)
        {
            if (--gate.Users > 0)
                return;
            gate.Users = -1;
        }
        _gates.TryRemove(new KeyValuePair<long, Gate>(releaseId, gate));
        gate.Semaphore.Dispose();
    }

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        /// <summary>How many hold or wait for it; -1 once it is being dropped.</summary>
        public int Users { get; set; }
    }
}
