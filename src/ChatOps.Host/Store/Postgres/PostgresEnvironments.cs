using ChatOps.Core.Ports;
using ChatOps.Core.Store;
using Npgsql;

namespace ChatOps.Host.Store.Postgres;

public sealed class PostgresEnvironments(PostgresDatabase database) : IEnvironmentStore
{
    private const string SelectServices = "SELECT service, tag, image, release_id, at FROM deployed_services WHERE environment = $1 ORDER BY service";
    private const string SelectMigration = "SELECT revision FROM environment_migrations WHERE environment = $1";
    private const string SelectLock = "SELECT environment, locked_by, reason, at, until FROM environment_locks WHERE environment = $1";
    private const string UpsertService = """
        INSERT INTO deployed_services (environment, service, tag, image, release_id, at) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (environment, service) DO UPDATE SET tag = excluded.tag, image = excluded.image, release_id = excluded.release_id, at = excluded.at
        """;
    private const string UpsertMigration = """
        INSERT INTO environment_migrations (environment, revision, at) VALUES ($1, $2, now())
        ON CONFLICT (environment) DO UPDATE SET revision = excluded.revision, at = excluded.at
        """;
    // An expired lock is replaced; a live one is left as it is (and locked until this transaction ends).
    private const string UpsertLock = """
        INSERT INTO environment_locks (environment, locked_by, reason, at, until) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (environment) DO UPDATE SET locked_by = excluded.locked_by, reason = excluded.reason, at = excluded.at, until = excluded.until
        WHERE environment_locks.until IS NOT NULL AND environment_locks.until <= $6
        """;
    private const string DeleteLock = "DELETE FROM environment_locks WHERE environment = $1 RETURNING environment, locked_by, reason, at, until";

    public async Task<EnvironmentState> GetAsync(string environment, CancellationToken cancellationToken)
    {
        await using var batch = database.DataSource.CreateBatch();
        batch.BatchCommands.Add(PostgresCommands.BatchCommand(SelectServices, environment));
        batch.BatchCommands.Add(PostgresCommands.BatchCommand(SelectMigration, environment));
        batch.BatchCommands.Add(PostgresCommands.BatchCommand(SelectLock, environment));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var services = new List<DeployedService>();
        while (await reader.ReadAsync(cancellationToken))
            services.Add(new DeployedService(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.NullableLong(3), reader.Time(4)));
        await reader.NextResultAsync(cancellationToken);
        var migration = await reader.ReadAsync(cancellationToken) ? reader.GetString(0) : null;
        await reader.NextResultAsync(cancellationToken);
        var held = await reader.ReadAsync(cancellationToken) ? ReadLock(reader) : null;
        return new EnvironmentState(environment, services, migration, held);
    }

    public Task RecordServiceAsync(string environment, DeployedService service, CancellationToken cancellationToken) =>
        database.ChangeAsync(UpsertService, cancellationToken, environment, service.Service, service.Tag, service.Image, service.ReleaseId, service.At);

    public Task RecordMigrationAsync(string environment, string revision, CancellationToken cancellationToken) =>
        database.ChangeAsync(UpsertMigration, cancellationToken, environment, revision);

    public Task<EnvironmentLock> LockAsync(EnvironmentLock requested, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async connection =>
        {
            await using (var upsert = connection.Command(UpsertLock, requested.Environment, requested.LockedBy, requested.Reason, requested.At, requested.Until, now))
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            // The row is ours until commit, whether we wrote it or not, so this reads the lock in force.
            await using var select = connection.Command(SelectLock, requested.Environment);
            return await select.ReadFirstAsync(ReadLock, cancellationToken)
                ?? throw new InvalidOperationException($"The lock on {requested.Environment} vanished while it was being set.");
        }, cancellationToken);

    public Task<EnvironmentLock?> UnlockAsync(string environment, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async connection =>
        {
            await using var command = connection.Command(DeleteLock, environment);
            return await command.ReadFirstAsync(ReadLock, cancellationToken);
        }, cancellationToken);

    private static EnvironmentLock ReadLock(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.Time(3), r.NullableTime(4));
}
