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
    public string? ApprovedBy { get; set; }
    public string? RejectedBy { get; set; }
    public int? MigrationExitCode { get; set; }
    public string? MigrationOutputTail { get; set; }
    public List<MachineImage> Machines { get; set; } = [];
    public Dictionary<string, string> Captured { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string? ChangelogCommit { get; set; }
    public long? RollbackReleaseId { get; set; }
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
    /// <summary>The approval gate whose approvers were reminded, so a reminder goes out once per gate.</summary>
    public string? RemindedGate { get; set; }
}

public sealed record BackupRecord(string Kind, string Location, long SizeBytes, string? Sha256, DateTimeOffset CreatedAt);

public sealed record MigrationRevision(string Revision, string Message);

public sealed record MigrationPreview(string? Current, string? Head, IReadOnlyList<MigrationRevision> Pending);

/// <summary>One machine of one service: the image it ran before and the one it runs now.</summary>
public sealed class MachineImage
{
    public string Service { get; set; } = "";
    public string App { get; set; } = "";
    public string MachineId { get; set; } = "";
    public string Before { get; set; } = "";
    public string? After { get; set; }
}
