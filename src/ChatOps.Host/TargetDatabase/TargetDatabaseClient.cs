using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;

namespace ChatOps.Host.TargetDatabase;

/// <summary>
/// The target database as the runbook touches it: pg_dump / psql / Npgsql when a DatabaseUrl is set;
/// a Fly volume snapshot when <c>Backup:Mode</c> is <c>fly-snapshot</c>; without a DatabaseUrl the schema
/// is checked through Alembic in the migrations app.
/// </summary>
public sealed class TargetDatabaseClient(IDeployTarget deployTarget, TargetPostgres postgres, TimeProvider clock) : IDatabaseOperations
{
    public async Task<BackupRecord> BackupAsync(string environment, EnvironmentSettings settings, string tag, DateTimeOffset reuseSince, CancellationToken cancellationToken)
    {
        if (settings.Backup.Mode == "fly-snapshot")
        {
            var app = settings.Backup.App.Length > 0 ? settings.Backup.App : settings.Migrations.App;
            var snapshot = await deployTarget.SnapshotVolumeAsync(app, reuseSince, cancellationToken);
            return new BackupRecord("fly-snapshot", snapshot, 0, null, clock.GetUtcNow());
        }
        return await postgres.BackupAsync(TargetConnection.Parse(settings.DatabaseUrl), environment, settings.Backup, tag, reuseSince, cancellationToken);
    }

    public async Task<SchemaReport> VerifySchemaAsync(EnvironmentSettings settings, string? expectedHead, CancellationToken cancellationToken)
    {
        if (settings.DatabaseUrl.Length > 0)
            return await postgres.VerifyAsync(TargetConnection.Parse(settings.DatabaseUrl), settings.Migrations.ExpectedTables, expectedHead, cancellationToken);

        var current = await deployTarget.ReadAsync(settings.Migrations.App, ["alembic", "current"], TimeSpan.FromSeconds(60), cancellationToken);
        if (current.ExitCode != 0)
            throw new InvalidOperationException($"`alembic current` exited {current.ExitCode}: {MigrationPreviewer.Tail(current.Stderr, 300)}");
        var revision = AlembicOutput.ParseRevision(current.Stdout);
        var tables = settings.Migrations.ExpectedTables.Count == 0 ? "" : "; tables not listed (no DatabaseUrl configured)";
        return new SchemaReport([], revision, expectedHead, $"alembic at {revision ?? "empty"}{tables}");
    }

    public async Task<string> RestoreAsync(EnvironmentSettings settings, BackupRecord backup, CancellationToken cancellationToken)
    {
        if (backup.Kind == "fly-snapshot")
        {
            throw new InvalidOperationException(
                $"Snapshot {backup.Location} is restored on the provider side: `fly volumes create <name> --snapshot-id {backup.Location} -a <app>`, "
                + "then point the database machine at the new volume. The images were not rolled back; run /rollback without --with-db for that.");
        }
        return await postgres.RestoreAsync(TargetConnection.Parse(settings.DatabaseUrl), backup, settings.Backup, settings.Migrations.ExpectedTables, cancellationToken);
    }
}
