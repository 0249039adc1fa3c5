using ChatOps.Core.Settings;

namespace ChatOps.Core.Ports;

/// <summary>Work on the target database: backup before migrations, schema check after, restore on rollback.</summary>
public interface IDatabaseOperations
{
    /// <summary>
    /// Backs up the target database of <paramref name="environment"/>. A complete backup of the same tag and
    /// environment made since <paramref name="reuseSince"/> (by an attempt that crashed before recording it) is
    /// returned instead of making another; another environment's dump never is.
    /// </summary>
    Task<BackupRecord> BackupAsync(string environment, EnvironmentSettings settings, string tag, DateTimeOffset reuseSince, CancellationToken cancellationToken);

    Task<SchemaReport> VerifySchemaAsync(EnvironmentSettings settings, string? expectedHead, CancellationToken cancellationToken);

    Task<string> RestoreAsync(EnvironmentSettings settings, BackupRecord backup, CancellationToken cancellationToken);
}

public sealed record SchemaReport(IReadOnlyList<string> MissingTables, string? AlembicVersion, string? ExpectedHead, string Checked)
{
    public bool Ok => MissingTables.Count == 0 && (ExpectedHead is null || AlembicVersion == ExpectedHead);
}

/// <summary>A backup taken before a release changed the database: where it is and how to check it.</summary>
public sealed record BackupRecord(string Kind, string Location, long SizeBytes, string? Sha256, DateTimeOffset CreatedAt);
