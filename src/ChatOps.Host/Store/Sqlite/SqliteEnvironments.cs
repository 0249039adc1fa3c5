using ChatOps.Core.Ports;
using ChatOps.Core.Store;
using Dapper;
using static ChatOps.Host.Store.Sqlite.SqliteTime;

namespace ChatOps.Host.Store.Sqlite;

public sealed class SqliteEnvironments(SqliteDatabase database) : IEnvironmentStore
{
    public Task<EnvironmentState> GetAsync(string environment, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var services = await c.QueryAsync<ServiceRow>(
                "SELECT service AS Service, tag AS Tag, image AS Image, release_id AS ReleaseId, at AS At FROM deployed_services WHERE environment = @environment ORDER BY service",
                new { environment });
            var migration = await c.QuerySingleOrDefaultAsync<string>("SELECT revision FROM environment_migrations WHERE environment = @environment", new { environment });
            var held = await c.QuerySingleOrDefaultAsync<LockRow>(
                "SELECT environment AS Environment, locked_by AS LockedBy, reason AS Reason, at AS At, until AS Until FROM environment_locks WHERE environment = @environment",
                new { environment });
            return new EnvironmentState(environment, services.Select(s => new DeployedService(s.Service, s.Tag, s.Image, s.ReleaseId, At(s.At))).ToList(), migration, held?.ToLock());
        });

    public Task RecordServiceAsync(string environment, DeployedService service, CancellationToken cancellationToken) =>
        database.WriteAsync((c, tx) => c.ExecuteAsync(
            """
            INSERT INTO deployed_services (environment, service, tag, image, release_id, at) VALUES (@environment, @Service, @Tag, @Image, @ReleaseId, @At)
            ON CONFLICT (environment, service) DO UPDATE SET tag = excluded.tag, image = excluded.image, release_id = excluded.release_id, at = excluded.at
            """,
            new { environment, service.Service, service.Tag, service.Image, service.ReleaseId, At = Ms(service.At) }, tx), cancellationToken);

    public Task RecordMigrationAsync(string environment, string revision, CancellationToken cancellationToken) =>
        database.WriteAsync((c, tx) => c.ExecuteAsync(
            """
            INSERT INTO environment_migrations (environment, revision, at) VALUES (@environment, @revision, @at)
            ON CONFLICT (environment) DO UPDATE SET revision = excluded.revision, at = excluded.at
            """,
            new { environment, revision, at = Ms(DateTimeOffset.UtcNow) }, tx), cancellationToken);

    public Task<EnvironmentLock> LockAsync(EnvironmentLock requested, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, tx) =>
        {
            // An expired lock is replaced; a live one wins and is returned to the caller.
            await c.ExecuteAsync(
                """
                INSERT INTO environment_locks (environment, locked_by, reason, at, until) VALUES (@Environment, @LockedBy, @Reason, @At, @Until)
                ON CONFLICT (environment) DO UPDATE SET locked_by = excluded.locked_by, reason = excluded.reason, at = excluded.at, until = excluded.until
                WHERE environment_locks.until IS NOT NULL AND environment_locks.until <= @now
                """,
                new { requested.Environment, requested.LockedBy, requested.Reason, At = Ms(requested.At), Until = requested.Until is { } u ? Ms(u) : (long?)null, now = Ms(now) }, tx);
            var held = await c.QuerySingleAsync<LockRow>(
                "SELECT environment AS Environment, locked_by AS LockedBy, reason AS Reason, at AS At, until AS Until FROM environment_locks WHERE environment = @Environment",
                new { requested.Environment }, tx);
            return held.ToLock();
        }, cancellationToken);

    public Task<EnvironmentLock?> UnlockAsync(string environment, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, tx) =>
        {
            var held = await c.QuerySingleOrDefaultAsync<LockRow>(
                "SELECT environment AS Environment, locked_by AS LockedBy, reason AS Reason, at AS At, until AS Until FROM environment_locks WHERE environment = @environment",
                new { environment }, tx);
            await c.ExecuteAsync("DELETE FROM environment_locks WHERE environment = @environment", new { environment }, tx);
            return held?.ToLock();
        }, cancellationToken);

    private sealed record ServiceRow(string Service, string Tag, string Image, long? ReleaseId, long At);

    private sealed record LockRow(string Environment, string LockedBy, string Reason, long At, long? Until)
    {
        public EnvironmentLock ToLock() => new(Environment, LockedBy, Reason, SqliteTime.At(At), Until is { } u ? SqliteTime.At(u) : null);
    }
}
