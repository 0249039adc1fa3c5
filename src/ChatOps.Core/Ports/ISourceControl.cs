namespace ChatOps.Core.Ports;

/// <summary>The release repository (GitHub): head commit, checks, tags, notes and files.</summary>
public interface ISourceControl
{
    Task<string> GetHeadShaAsync(CancellationToken cancellationToken);

    /// <summary>The commit's page (GitHub's <c>html_url</c>), or null when the answer carries none.</summary>
    Task<string?> GetCommitUrlAsync(string sha, CancellationToken cancellationToken);

    /// <summary>Check runs and commit statuses of a commit, latest per name.</summary>
    Task<IReadOnlyList<CheckResult>> GetChecksAsync(string sha, CancellationToken cancellationToken);

    /// <summary>Creates an annotated tag on <paramref name="sha"/>, or accepts the existing one on the same sha.</summary>
    /// <exception cref="TagConflictException">The tag exists on another commit.</exception>
    Task<TagResult> EnsureTagAsync(string tag, string sha, string message, CancellationToken cancellationToken);

    /// <summary>The commit a tag points at, or null when there is no such tag.</summary>
    Task<string?> GetTagCommitAsync(string tag, CancellationToken cancellationToken);

    /// <summary>Commit subjects between two refs, oldest first (the release notes' raw material).</summary>
    Task<IReadOnlyList<string>> GetChangesAsync(string? fromTag, string toTag, CancellationToken cancellationToken);

    /// <summary>When the oldest commit between two refs was made (the start of the release's lead time); null when unknown.</summary>
    Task<DateTimeOffset?> GetOldestCommitAtAsync(string? fromTag, string toTag, CancellationToken cancellationToken);

    /// <summary>Reads a file, lets <paramref name="edit"/> change it (null: leave it), writes it back as one commit.</summary>
    Task<FileUpdate> UpdateFileAsync(string path, Func<string?, string?> edit, string message, CancellationToken cancellationToken);

    /// <summary>Publishes the release of an existing tag with its notes, or finds the one already there; returns its page.</summary>
    Task<string?> EnsureReleaseAsync(string tag, string notes, CancellationToken cancellationToken);
}

/// <param name="Url">The check run's page (<c>html_url</c>) or the status's <c>target_url</c>, when there is one.</param>
public sealed record CheckResult(string Name, string Status, string? Conclusion, string? Url = null)
{
    public bool Passed => Status == "completed" && Conclusion is "success" or "neutral" or "skipped";
}

/// <param name="HtmlUrl">The tag's page on the repository's site, when known.</param>
public sealed record TagResult(string TagObjectSha, bool Created, string? HtmlUrl = null);

/// <param name="HtmlUrl">The file's page (<c>content.html_url</c>), when the answer carried it.</param>
public sealed record FileUpdate(bool Changed, string? CommitSha, string? HtmlUrl = null);

public sealed class TagConflictException(string tag, string existingSha, string wantedSha)
    : Exception($"Tag {tag} already exists on {Short(existingSha)}, not on {Short(wantedSha)}; pick a new tag or delete the old one.")
{
    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
