using ChatOps.Core.Cards;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>
/// Writes what happened to a release: the record with its audit event (fenced by this instance's lease), then the
/// card. What an end requires besides is <see cref="ReleaseEnd"/>'s.
/// </summary>
public sealed class ReleaseRecorder(IReleaseStore releases, CardPublisher cards, LeaseKeeper leases, ReleaseAnnouncer announcer, TimeProvider clock)
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
}
