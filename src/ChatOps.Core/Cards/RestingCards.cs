using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Cards;

/// <summary>
/// The card of a release that nothing is moving (ended, stopped for a human, or waiting at its gate), as the store
/// has it now. Each instance edits a card from its own lane, so an edit queued on one instance (a heartbeat of a run
/// that lost its lease, a decision taken there) can land after another instance's last edit; with no later edit to
/// follow, the chat would keep showing a step that is long over. A lane asks here after an edit lands and puts this
/// card back when it differs.
/// </summary>
public sealed class RestingCards(IReleaseStore releases, IApprovalStore approvals, People people, TimeProvider clock, ILogger<RestingCards> log)
{
    public async Task<ReleaseCard> RenderAsync(Release release, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var tokens = await approvals.OpenAsync(release.Id, now, cancellationToken);
        return CardRenderer.Render(release, tokens, now, people.NameOf);
    }

    /// <summary>The stored card of the release when no step of it may run now; null while one may, or when unknown.</summary>
    public async Task<ReleaseCard?> FindAsync(long releaseId, CancellationToken cancellationToken)
    {
        try
        {
            var release = await releases.GetAsync(releaseId, cancellationToken);
            return release is null || Runbook.HasWorkToDo(release) ? null : await RenderAsync(release, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The check is a second chance for the card; the edit that prompted it has landed, and the release goes on.
            log.LogWarning(e, "Could not read release {ReleaseId} to check its card", releaseId);
            return null;
        }
    }
}
