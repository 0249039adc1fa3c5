using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Store;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>
/// Writes a release's end and does what that end requires (a rollback's lock, a failed release's rollback check and
/// Roll back button, the closing message, the bookkeeping), in an order that a crash cannot turn into harm.
/// </summary>
public sealed class ReleaseEnd(
    ReleaseRecorder recorder,
    IReleaseStore releases,
    IEnvironmentStore environments,
    ReleaseButtons buttons,
    ReleaseAnnouncer announcer,
    EndBookkeeping bookkeeping,
    TimeProvider clock,
    ILogger<ReleaseEnd> log)
{
    /// <summary>What /rollback would do for this failed release, said on its card before anyone presses Roll back.</summary>
    private async Task<string> RollbackCheckAsync(Release failed, CancellationToken cancellationToken)
    {
        var recent = await releases.ListAsync(failed.Environment, activeOnly: false, limit: 100, cancellationToken);
        var request = new RollbackRequest(failed.Environment, null, false, failed.RequestedBy, failed.Channel, failed.BotVersion, clock.GetUtcNow());
        return RollbackCheck.Summarize(request, failed, recent, await environments.GetAsync(failed.Environment, cancellationToken), clock.GetUtcNow());
    }

    /// <summary>
    /// A rollback, whether it finished or failed, leaves its environment frozen until someone unlocks it: that is what its
    /// confirmation promised, and after a failed one production may be between two releases. A timed lock taken before
    /// (a /lock --for) would end the freeze when it expires, so the rollback's open-ended lock replaces it and names it.
    /// </summary>
    private async Task FreezeAsync(Release rollback, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reason = rollback.State == ReleaseState.RolledBack
            ? $"rolled back {rollback.PreviousTag ?? "?"} → {rollback.Tag} (rollback #{rollback.Id})"
            : $"rollback #{rollback.Id} {rollback.PreviousTag ?? "?"} → {rollback.Tag} failed at {Runbook.Label(rollback.StoppedAt?.ToString() ?? "?")}: "
              + "production may be between two releases";
        var freeze = new EnvironmentLock(rollback.Environment, rollback.Requester, reason, now, null);
        var held = await environments.LockAsync(freeze, now, cancellationToken);
        if (held.Until is not { } until)
            return;
        await environments.UnlockAsync(rollback.Environment, cancellationToken);
        await environments.LockAsync(freeze with { Reason = $"{reason}; it replaced the lock of {held.LockedBy} until {ChatTime.Minute(until)} ({held.Reason})" },
            now, cancellationToken);
    }

    /// <summary>Saves a release that reached an end and does what that end requires.</summary>
    public async Task FinishAsync(Release release, string actor, string action, ReleaseState from, string detail, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Locked before the end is written, so a rolled-back environment is never left open by a crash in between.
        if (release.State is ReleaseState.RolledBack or ReleaseState.RollbackFailed)
            await FreezeAsync(release, now, cancellationToken);
        if (release.State == ReleaseState.Failed && release.ChangedProduction)
            release.Outputs.RollbackCheck = await RollbackCheckAsync(release, cancellationToken);
        if (release.State == ReleaseState.Released)
            release.Outputs.ReleasedAt ??= now;
        // The end is written before the buttons are voided: a crash in between leaves buttons that the ended release
        // refuses, never a cancel or a rejection that was lost while its buttons were already gone.
        await recorder.RecordAsync(release, actor, action, from, detail, cancellationToken);
        await buttons.VoidAsync(release.Id, null, cancellationToken);
        if (release.State == ReleaseState.Failed && release.ChangedProduction)
            await buttons.OfferRollbackAsync(release, cancellationToken);
        await recorder.PublishAsync(release, cancellationToken);
        // Said only after the end is written under the lease: an instance that resumes the release finds it ended and
        // never gets here for it again, so the closing message goes out once. A crash between the two loses it (the
        // card still shows the end) rather than saying it twice.
        await announcer.ClosedAsync(release, cancellationToken);
        await bookkeeping.AfterEndAsync(release, cancellationToken);
        log.LogInformation("{Kind} {ReleaseId} {Tag} on {Environment} ended {State}", release.Kind, release.Id, release.Tag, release.Environment, release.State);
    }
}
