using ChatOps.Core.Ports;
using ChatOps.Core.Steps;

namespace ChatOps.Testing;

/// <summary>GitHub with no latency: every check green, every tag created, the changelog written.</summary>
public sealed class FakeSourceControl(IReadOnlyList<string> requiredChecks) : ISourceControl
{
    public const string HeadSha = "3f9c2d4e5b6a7980a1b2c3d4e5f60718293a4b5c";
    private const string Changelog = "# Changelog\n\n## v1.0.0 - 2026-11-01\n- first release\n";
    private static readonly IReadOnlyList<string> Changes = ["feat: priorities on runs", "fix: retry webhooks", "chore: bump deps"];

    public Task<string> GetHeadShaAsync(CancellationToken cancellationToken) => Task.FromResult(HeadSha);

    public Task<string?> GetCommitUrlAsync(string sha, CancellationToken cancellationToken) =>
        Task.FromResult<string?>($"https://github.example/acme/app/commit/{sha}");

    public Task<IReadOnlyList<CheckResult>> GetChecksAsync(string sha, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CheckResult>>(requiredChecks.Select(c => new CheckResult(c, "completed", "success")).ToList());

    public Task<TagResult> EnsureTagAsync(string tag, string sha, string message, CancellationToken cancellationToken) =>
        Task.FromResult(new TagResult("a1b2c3d4e5f60718293a4b5c3f9c2d4e5b6a7980", Created: true));

    public Task<string?> GetTagCommitAsync(string tag, CancellationToken cancellationToken) => Task.FromResult<string?>(HeadSha);

    /// <summary>Set, comparing tags fails as GitHub answers when the previous tag is missing there.</summary>
    public bool PreviousTagMissing { get; set; }

    /// <summary>The oldest commit of every release: a fixed day, so lead times are known answers.</summary>
    public static readonly DateTimeOffset OldestCommitAt = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    public Task<DateTimeOffset?> GetOldestCommitAtAsync(string? fromTag, string toTag, CancellationToken cancellationToken) =>
        Task.FromResult<DateTimeOffset?>(OldestCommitAt);

    public Task<IReadOnlyList<string>> GetChangesAsync(string? fromTag, string toTag, CancellationToken cancellationToken) =>
        PreviousTagMissing
            ? Task.FromException<IReadOnlyList<string>>(new InvalidOperationException($"GitHub answered 404 Not Found for GET compare/{fromTag}...{toTag}"))
            : Task.FromResult(Changes);

    // The edit runs on a fixed file, so the cost per release does not grow with the number of releases.
    public Task<FileUpdate> UpdateFileAsync(string path, Func<string?, string?> edit, string message, CancellationToken cancellationToken)
    {
        var changed = edit(Changelog) is not null;
        return Task.FromResult(new FileUpdate(changed, changed ? "0718293a4b5c3f9c2d4e5b6a7980a1b2c3d4e5f6" : null));
    }

    public Task<string?> EnsureReleaseAsync(string tag, string notes, CancellationToken cancellationToken) =>
        Task.FromResult<string?>($"https://github.example/acme/app/releases/tag/{tag}");
}
