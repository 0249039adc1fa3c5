using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>Runbook §9: a section for the tag at the top of CHANGELOG.md.</summary>
public sealed class DocumentStep : IReleaseStep
{
    public ReleaseState State => ReleaseState.Document;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var release = context.Release;
        var source = context.Ports.SourceControl;
        // Both ask GitHub to compare the same two tags: at once, not one after the other.
        var oldest = release.Outputs.OldestCommitAt is null ? OldestCommitAtAsync(context, cancellationToken) : null;
        var changes = await source.GetChangesAsync(release.PreviousTag, release.Tag, cancellationToken);
        if (oldest is not null)
            release.Outputs.OldestCommitAt = await oldest;
        var today = DateOnly.FromDateTime(context.Clock.GetUtcNow().UtcDateTime);
        string? written = null;
        var update = await source.UpdateFileAsync(
            Changelog.Path,
            existing =>
            {
                var edited = Changelog.Prepend(existing, release.Tag, today, changes);
                written = edited ?? existing;
                return edited;
            },
            $"docs: changelog for {release.Tag} (ChatOps release #{release.Id})",
            cancellationToken);
        if (update.CommitSha is not null)
            release.Outputs.ChangelogCommit = update.CommitSha;
        var section = Changelog.SectionOf(written, release.Tag);
        if (update.HtmlUrl is { } page)
            release.Outputs.Links.Changelog = section is { } s ? $"{page}#{Changelog.Anchor(s.Heading)}" : page;
        // The GitHub release carries the same words as the changelog section, so the two never disagree.
        release.Outputs.Links.Release = await source.EnsureReleaseAsync(release.Tag, section?.Body ?? "", cancellationToken) ?? release.Outputs.Links.Release;
        return StepOutcome.Done((update.Changed
            ? $"CHANGELOG.md: {release.Tag} section with {changes.Count} change{(changes.Count == 1 ? "" : "s")}"
            : $"CHANGELOG.md already has {release.Tag}") + $"; GitHub release {release.Tag}");
    }

    // Only the lead-time figure needs it: an answer GitHub cannot give leaves the figure without this release, never fails it.
    private static async Task<DateTimeOffset?> OldestCommitAtAsync(StepContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await context.Ports.SourceControl.GetOldestCommitAtAsync(context.Release.PreviousTag, context.Release.Tag, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }
}
