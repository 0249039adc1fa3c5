using ChatOps.Core.Ports;
using ChatOps.Core.Settings;

namespace ChatOps.Testing;

/// <summary>The target database with no latency: a backup made at once, the schema always at the expected head.</summary>
public sealed class FakeDatabase(TimeProvider clock) : IDatabaseOperations
{
    public Task<BackupRecord> BackupAsync(string environment, EnvironmentSettings settings, string tag, DateTimeOffset reuseSince, CancellationToken cancellationToken) =>
        Task.FromResult(new BackupRecord("pg_dump", $"/data/backups/{environment}/{tag}.dump", 48_213_504,
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", clock.GetUtcNow()));

    /// <summary>Tables the schema check finds missing; none by default.</summary>
    public IReadOnlyList<string> MissingTables { get; set; } = [];

    public Task<SchemaReport> VerifySchemaAsync(EnvironmentSettings settings, string? expectedHead, CancellationToken cancellationToken) =>
        Task.FromResult(new SchemaReport(MissingTables, expectedHead, expectedHead, $"3 tables present, alembic at {expectedHead}"));

    private int _restores;

    /// <summary>How many restores ran.</summary>
    public int Restores => Volatile.Read(ref _restores);

    public Task<string> RestoreAsync(EnvironmentSettings settings, BackupRecord backup, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _restores);
        return Task.FromResult("restored");
    }
}
