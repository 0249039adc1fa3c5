using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;

namespace ChatOps.Host.Database;

/// <summary>
/// The target database as the runbook touches it. With <c>fly-snapshot</c> backups the platform keeps the
/// copy; without a DatabaseUrl the schema is checked through Alembic in the migrations app.
/// </summary>
public sealed class TargetDatabase(IDeployTarget deployTarget, TimeProvider clock) : IDatabaseOperations
{
    public async Task<BackupRecord> BackupAsync(string environment, EnvironmentSettings settings, string tag, CancellationToken cancellationToken)
    {
        if (settings.Backup.Mode == "fly-snapshot")
        {
            var app = settings.Backup.App.Length > 0 ? settings.Backup.App : settings.Migrations.App;
            var snapshot = await deployTarget.SnapshotVolumeAsync(app, cancellationToken);
            return new BackupRecord("fly-snapshot", snapshot, 0, null, clock.GetUtcNow());
        }
        throw new NotSupportedException($"Backup mode {settings.Backup.Mode} is not available in this build.");
    }

    public async Task<SchemaReport> VerifySchemaAsync(EnvironmentSettings settings, string? expectedHead, CancellationToken cancellationToken)
    {
        var current = await deployTarget.ExecAsync(settings.Migrations.App, ["alembic", "current"], TimeSpan.FromSeconds(60), cancellationToken);
        if (current.ExitCode != 0)
            throw new InvalidOperationException($"`alembic current` exited {current.ExitCode}: {MigrationPreviewer.Tail(current.Stderr, 300)}");
        var revision = AlembicOutput.ParseRevision(current.Stdout);
        var tables = settings.ExpectedTables().Count == 0 ? "" : "; tables not listed (no DatabaseUrl configured)";
        return new SchemaReport([], revision, expectedHead, $"alembic at {revision ?? "empty"}{tables}");
    }

    public Task<string> RestoreAsync(EnvironmentSettings settings, BackupRecord backup, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(
            $"Snapshot {backup.Location} is restored on the provider side: `fly volumes create <name> --snapshot-id {backup.Location} -a <app>`, "
            + "then attach the new volume to the database machine. The bot cannot do this for you.");
}

internal static class EnvironmentSettingsExtensions
{
    public static IReadOnlyList<string> ExpectedTables(this EnvironmentSettings settings) => settings.Migrations.ExpectedTables;
}
