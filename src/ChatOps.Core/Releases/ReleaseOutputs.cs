using ChatOps.Core.Bake;
using ChatOps.Core.Ports;
using ChatOps.Core.Steps;

namespace ChatOps.Core.Releases;

/// <summary>What the steps found and changed; everything a resume or a rollback needs to know.</summary>
public sealed class ReleaseOutputs
{
    public string? HeadSha { get; set; }
    public string? TagObjectSha { get; set; }
    public List<string> PassedChecks { get; set; } = [];
    public Dictionary<string, string?> PreviousVersions { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public BackupRecord? Backup { get; set; }
    public MigrationPreview? Migrations { get; set; }
    public string? PlanHash { get; set; }
    /// <summary>Per service, the digest its image had when the plan was shown for approval (where the registry reported one).</summary>
    public Dictionary<string, string> PlannedDigests { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string? ApprovedBy { get; set; }
    public string? RejectedBy { get; set; }
    public int? MigrationExitCode { get; set; }
    public string? MigrationOutputTail { get; set; }
    public List<MachineImage> Machines { get; set; } = [];
    public Dictionary<string, string> Captured { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string? ChangelogCommit { get; set; }
    public long? RollbackReleaseId { get; set; }
    /// <summary>
    /// The stop to roll back that ended this release, written with its end and kept until its rollback was tried: an
    /// instance that died in between leaves it for the next one to start.
    /// </summary>
    public StopRequest? RollbackAsked { get; set; }
    /// <summary>For a rollback: the image each service returns to.</summary>
    public Dictionary<string, string> RollbackTargets { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string? RestoreReport { get; set; }
    /// <summary>For a rollback: the release it goes back to, and why that one.</summary>
    public long? RollbackTargetReleaseId { get; set; }
    public string? RollbackReason { get; set; }
    /// <summary>For a failed release: what /rollback would do now and whether it is safe, as /rollback --check says it.</summary>
    public string? RollbackCheck { get; set; }
    /// <summary>The documentation step failed after the release was verified: said on the card, redone with /resume.</summary>
    public string? PaperworkError { get; set; }
    /// <summary>When the release reached Released: the start of its bake and the end of its lead time.</summary>
    public DateTimeOffset? ReleasedAt { get; set; }
    /// <summary>The oldest commit the release brought (its lead time starts there), when GitHub told us.</summary>
    public DateTimeOffset? OldestCommitAt { get; set; }
    /// <summary>For a release to an environment that promotes from another: what it promotes, or who skipped the rule and why.</summary>
    public PromotionRecord? Promotion { get; set; }
    /// <summary>An approver let this release through a freeze window (at its start or its approval): who, why, and which window.</summary>
    public FreezeOverride? FreezeOverride { get; set; }
    /// <summary>The incident open when the release or rollback started: a rollback restores from it, a hotfix is its fix.</summary>
    public IncidentNote? Incident { get; set; }
    /// <summary>Released as the fix of an open incident (--hotfix): an approver approves it even with nothing to migrate.</summary>
    public bool Hotfix { get; set; }
    /// <summary>The GitHub deployment that records this release or rollback, and the last state written to it.</summary>
    public DeploymentRecord? Deployment { get; set; }
    /// <summary>Outside bookkeeping that failed without failing the release (a GitHub deployment status), said on the card.</summary>
    public List<string> Notes { get; set; } = [];
    /// <summary>The approval gate whose approvers were reminded, so a reminder goes out once per gate.</summary>
    public string? RemindedGate { get; set; }
    public ReleaseLinks Links { get; set; } = new();
    /// <summary>The release's bake: its window, stored when it starts so a resumed bake keeps its deadline, and its latest figures.</summary>
    public BakeRecord? Bake { get; set; }
    /// <summary>What the release brings since the running release: shown with the approval.</summary>
    public ReleaseChanges? Changes { get; set; }
}

/// <summary>The commits a release brings since the running one: the first few subjects (oldest first) and how many there are.</summary>
public sealed record ReleaseChanges(string? Since, IReadOnlyList<string> First, int Total)
{
    public const int Shown = 10;

    public static ReleaseChanges Of(string? since, IReadOnlyList<string> subjects) => new(since, [.. subjects.Take(Shown)], subjects.Count);

    /// <summary>"3 commits since v0.1.0:" and a line each, "… and 4 more" after the tenth.</summary>
    public IEnumerable<string> Describe()
    {
        yield return Total == 0 ? $"no commits since {Since ?? "the start"}" : $"{Total} commit{(Total == 1 ? "" : "s")} since {Since ?? "the start"}:";
        foreach (var subject in First)
            yield return $"  • {Subject(subject)}";
        if (Total > First.Count)
            yield return $"  … and {Total - First.Count} more";
    }

    // One line, the pull request number kept when a long subject is cut ("Add run priority … (#123)").
    private static string Subject(string subject)
    {
        var line = subject.Split('\n')[0].Trim();
        if (line.Length <= 72)
            return line;
        var pr = System.Text.RegularExpressions.Regex.Match(line, @"\(#\d+\)$");
        return pr.Success ? line[..(71 - pr.Length)].TrimEnd() + "… " + pr.Value : line[..71].TrimEnd() + "…";
    }
}

/// <summary>
/// A promotion: the release on <see cref="From"/> it takes its images from (service → exact image reference, by
/// digest where Fly reported one), or the approver who skipped the rule and their reason.
/// </summary>
public sealed class PromotionRecord
{
    public string From { get; set; } = "";
    public long? SourceReleaseId { get; set; }
    /// <summary>The commit the source release shipped: what Preflight checks and Tag finds tagged.</summary>
    public string? Sha { get; set; }
    public Dictionary<string, string> Images { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string? SkippedBy { get; set; }
    public string? SkipReason { get; set; }
}

public sealed record DeploymentRecord(long Id, string State);

/// <summary>The incident a release or rollback was started in: what to call it and when it began (time to restore counts from there).</summary>
public sealed record IncidentNote(long Id, string Title, string? Link, DateTimeOffset OpenedAt)
{
    public string Describe() => $"incident #{Id} “{Title}”{(Link is null ? "" : $" ({Link})")}";
}

/// <param name="Window">The reason of the window it was overridden in; null when none was open when the approver gave it.</param>
/// <param name="Until">When that window closes, as it was shown.</param>
public sealed record FreezeOverride(string By, string Reason, string? Window, string? Until, DateTimeOffset At);

public sealed record MigrationRevision(string Revision, string Message)
{
    /// <summary>Whether old code still runs on the schema after it, read from its offline SQL; null when the SQL could not be had.</summary>
    public Steps.MigrationVerdict? Verdict { get; init; }

    /// <summary>For a destructive revision, what makes it so.</summary>
    public string? Why { get; init; }
}

/// <param name="Current">The database's revision before the release.</param>
/// <param name="Head">The newest revision the release's image knows: where the database must be after it.</param>
public sealed record MigrationPreview(string? Current, string? Head, IReadOnlyList<MigrationRevision> Pending)
{
    /// <summary>What <c>alembic upgrade current:head --sql</c> printed in the release's image (at most <see cref="Steps.MigrationPreviewer.MaxSql"/> characters).</summary>
    public string? Sql { get; init; }

    /// <summary>Why there is no SQL (offline mode not available in the project), when there is none for pending revisions.</summary>
    public string? SqlProblem { get; init; }

    /// <summary>True when a pending revision is destructive: going back needs the backup restore.</summary>
    public bool Destructive => Pending.Any(p => p.Verdict == Steps.MigrationVerdict.Destructive);
}

/// <summary>One machine of one service: the image it ran before and the one it runs now.</summary>
public sealed class MachineImage
{
    public string Service { get; set; } = "";
    public string App { get; set; } = "";
    public string MachineId { get; set; } = "";
    public string Before { get; set; } = "";
    public string? After { get; set; }
    /// <summary>The digest Fly reported for <see cref="After"/>, when it reported one: what a promotion deploys.</summary>
    public string? Digest { get; set; }
}
