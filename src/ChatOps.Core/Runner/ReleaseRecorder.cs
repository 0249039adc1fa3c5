using ChatOps.Core.Cards;
using ChatOps.Core.Decisions;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>
/// Writes what happened to a release: the record with its audit event (fenced by this instance's lease), then the
/// card. For a release that ended, also what that end requires, in an order that a crash cannot turn into harm.
/// </summary>
public sealed class ReleaseRecorder(
    IReleaseStore releases,
    IEnvironmentStore environments,
    ReleaseButtons buttons,
    CardPublisher cards,
    LeaseKeeper leases,
    DeploymentLog deployments,
    ReleaseAnnouncer announcer,
    MigrationMachineSweep migrationMachines,
    TimeProvider clock,
    ILogger<ReleaseRecorder> log)
{
    /// <summary>The actor of what the bot does on its own.</summary>
    public const string System = "chatops:runner";

    public async Task SaveAsync(Release release, string actor, string action, ReleaseState? from, string detail, CancellationToken cancellationToken)
    {
        await RecordAsync(release, actor, action, from, detail, cancellationToken);
        await PublishAsync(release, cancellationToken);
        // Stopping to wait for a human is an end for the people watching: they are told once, when it is written.
        if (release.State == ReleaseState.NeedsAttention && from != ReleaseState.NeedsAttention)
            await announcer.ClosedAsync(release, cancellationToken);
    }

    /// <summary>Saves the record with its audit event, fenced by this instance's lease.</summary>
    public Task RecordAsync(Release release, string actor, string action, ReleaseState? from, string detail, CancellationToken cancellationToken)
    {
        release.UpdatedAt = clock.GetUtcNow();
        var audit = new AuditEvent(release.Id, release.Environment, actor, action, from?.ToString(), release.State.ToString(), detail, release.UpdatedAt);
        return releases.SaveAsync(release, audit, leases.Owner, cancellationToken);
    }

    /// <summary>Saves progress inside a step without an audit event (one machine deployed).</summary>
    public Task CheckpointAsync(Release release, CancellationToken cancellationToken) =>
        releases.SaveAsync(release, null, leases.Owner, cancellationToken);

    /// <summary>Shows the card; when it moved to a new message, its id is saved under the lease.</summary>
    public async Task PublishAsync(Release release, CancellationToken cancellationToken)
    {
        if (await cards.PublishAsync(release, cancellationToken))
            await CheckpointAsync(release, cancellationToken);
    }

    /// <summary>
    /// Redraws the card of a step under way. Never saves: a step's own checkpoints write the record, and a second
    /// writer beside them would race; a card that moved to a new message is saved with the next checkpoint.
    /// </summary>
    public Task ShowProgressAsync(Release release, CancellationToken cancellationToken) => cards.PublishAsync(release, cancellationToken);

    public Task SayAsync(Release release, string text, CancellationToken cancellationToken) => cards.SayAsync(release, text, cancellationToken);

    /// <summary>A step's detail beside the card; never saved, since the card and the audit trail keep what counts.</summary>
    public Task ShowDetailAsync(Release release, StepDetail detail, CancellationToken cancellationToken) => cards.ShowDetailAsync(release, detail, cancellationToken);

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
            : $"rollback #{rollback.Id} {rollback.PreviousTag ?? "?"} → {rollback.Tag} failed at {CardRenderer.Label(rollback.StoppedAt?.ToString() ?? "?")}: "
              + "production may be between two releases";
        var freeze = new EnvironmentLock(rollback.Environment, rollback.Requester, reason, now, null);
        var held = await environments.LockAsync(freeze, now, cancellationToken);
        if (held.Until is not { } until)
            return;
        await environments.UnlockAsync(rollback.Environment, cancellationToken);
        await environments.LockAsync(freeze with { Reason = $"{reason}; it replaced the lock of {held.LockedBy} until {Chat.ChatTime.Minute(until)} ({held.Reason})" },
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
        await RecordAsync(release, actor, action, from, detail, cancellationToken);
        await buttons.VoidAsync(release.Id, null, cancellationToken);
        if (release.State == ReleaseState.Failed && release.ChangedProduction)
            await buttons.OfferRollbackAsync(release, cancellationToken);
        await PublishAsync(release, cancellationToken);
        // Said only after the end is written under the lease: an instance that resumes the release finds it ended and
        // never gets here for it again, so the closing message goes out once. A crash between the two loses it (the
        // card still shows the end) rather than saying it twice.
        await announcer.ClosedAsync(release, cancellationToken);
        await migrationMachines.ReleaseEndedAsync(release, cancellationToken);
        // After the end is written: the environment is free, and a rollback over, the moment the card says so, however
        // long GitHub takes. A crash in between leaves the GitHub deployment in progress, which is bookkeeping only.
        if (await deployments.EndAsync(release, cancellationToken))
        {
            await CheckpointAsync(release, cancellationToken);
            await PublishAsync(release, cancellationToken);
        }
        log.LogInformation("{Kind} {ReleaseId} {Tag} on {Environment} ended {State}", release.Kind, release.Id, release.Tag, release.Environment, release.State);
    }
}
