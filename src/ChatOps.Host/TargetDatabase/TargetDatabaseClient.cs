using ChatOps.Core.Ports;
using ChatOps.Core.Settings;

namespace ChatOps.Host.TargetDatabase;

/// <summary>
/// The target database as the runbook touches it: pg_dump / psql / Npgsql when a DatabaseUrl is set;
/// a Fly volume snapshot when <c>Backup:Mode</c> is <c>fly-snapshot</c>. (Without a DatabaseUrl the schema check asks
/// Alembic in the release's migration machine instead.)
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

    public Task<SchemaReport> VerifySchemaAsync(EnvironmentSettings settings, string? expectedHead, CancellationToken cancellationToken) =>
        postgres.VerifyAsync(TargetConnection.Parse(settings.DatabaseUrl), settings.Migrations.ExpectedTables, expectedHead, cancellationToken);

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
