using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using Npgsql;

namespace ChatOps.Host.Store.Postgres;

public sealed class PostgresReleases(PostgresDatabase database) : IReleaseStore
{
    // The partial unique index decides: a second active release for the environment inserts nothing.
    private const string InsertRelease = """
        INSERT INTO releases (environment, kind, tag, state, active, requester, bot_version, created_at, updated_at, record)
        VALUES ($1, $2, $3, $4, TRUE, $5, $6, $7, $8, $9::jsonb)
        ON CONFLICT (environment) WHERE active DO NOTHING
        RETURNING id
        """;
    private const string WriteRecord = "UPDATE releases SET record = $2::jsonb WHERE id = $1";
    // The rolled-back release is marked with the rollback that starts, in the start's transaction.
    private const string MarkRolledBack = "UPDATE releases SET rolled_back_by = $2 WHERE id = $1";
    private const string SelectHolder = "SELECT record FROM releases WHERE environment = $1 AND active";
    private const string SelectRelease = """
        SELECT r.record, r.rolled_back_by, c.requested_by, c.intent, c.at FROM releases r LEFT JOIN cancel_requests c ON c.release_id = r.id WHERE r.id = $1
        """;
    // Fenced: only the holder of the release's lease writes it, and the event goes in only with the record.
    // One statement, so one round trip and atomic without a transaction around it.
    private const string SaveRelease = """
        WITH saved AS (
            UPDATE releases SET state = $2, active = $3, tag = $4, updated_at = $5, record = $6::jsonb
            WHERE id = $1 AND lease_owner = $7
            RETURNING id),
        logged AS (
            INSERT INTO events (release_id, environment, actor, action, from_state, to_state, detail, at)
            SELECT $8::bigint, $9::text, $10::text, $11::text, $12::text, $13::text, $14::text, $15::timestamptz FROM saved
            WHERE $10::text IS NOT NULL)
        SELECT count(*) FROM saved
        """;
    private const string SelectReleases = """
        SELECT record, rolled_back_by FROM releases
        WHERE ($1::text IS NULL OR environment = $1) AND (NOT $2 OR active)
        ORDER BY id DESC LIMIT $3
        """;
    // The first request stands; every one is audited. Answers the request that stands: this one when it went in, else
    // the one stored before (the statement's snapshot does not see its own insert, so the two never both answer).
    private const string RequestCancel = """
        WITH requested AS (
            INSERT INTO cancel_requests (release_id, requested_by, at, intent) VALUES ($1, $3, $8, $9) ON CONFLICT DO NOTHING
            RETURNING requested_by, intent, at),
        logged AS (
            INSERT INTO events (release_id, environment, actor, action, from_state, to_state, detail, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8))
        SELECT requested_by, intent, at FROM requested
        UNION ALL
        SELECT requested_by, intent, at FROM cancel_requests WHERE release_id = $1
        """;
    private const string SelectCancelRequest = "SELECT requested_by, intent, at FROM cancel_requests WHERE release_id = $1";
    private const string DeleteCancelRequest = "DELETE FROM cancel_requests WHERE release_id = $1";
    private const string InsertEvent = """
        INSERT INTO events (release_id, environment, actor, action, from_state, to_state, detail, at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        """;
    // The latest events, oldest first.
    private const string SelectEvents = """
        SELECT release_id, environment, actor, action, from_state, to_state, detail, at FROM (
            SELECT * FROM events
            WHERE ($1::bigint IS NULL OR release_id = $1) AND ($2::text IS NULL OR environment = $2)
            ORDER BY id DESC LIMIT $3) AS latest
        ORDER BY id
        """;

    public Task<StartOutcome> TryStartAsync(Release release, AuditEvent started, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async connection =>
        {
            // Each statement sees what committed before it (read committed), so when the holder ended between our
            // insert and our look, the next insert may find the environment free.
            while (true)
            {
                await using var insert = connection.Command(InsertRelease, release.Environment, release.Kind.ToString(), release.Tag,
                    release.State.ToString(), release.Requester, release.BotVersion, release.CreatedAt, release.UpdatedAt, ReleaseJson.Serialize(release));
                if (await insert.ExecuteScalarAsync(cancellationToken) is not long id)
                {
                    // The insert waited for any competing one to commit, so the holder is visible to this next statement.
                    await using var select = connection.Command(SelectHolder, release.Environment);
                    if (await select.ExecuteScalarAsync(cancellationToken) is string holder)
                        return new StartOutcome(null, ReleaseJson.Deserialize(holder));
                    continue;
                }
                release.Id = id;
                await using var batch = new NpgsqlBatch(connection)
                {
                    BatchCommands = { PostgresCommands.BatchCommand(WriteRecord, id, ReleaseJson.Serialize(release)), EventCommand(started with { ReleaseId = id }) },
                };
                if (release is { Kind: ReleaseKind.Rollback, RollbackOf: { } undone })
                    batch.BatchCommands.Add(PostgresCommands.BatchCommand(MarkRolledBack, undone, id));
                await batch.ExecuteNonQueryAsync(cancellationToken);
                return new StartOutcome(release, null);
            }
        }, cancellationToken);

    public async Task<Release?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.Command(SelectRelease, id);
        return await command.ReadFirstAsync(r => ReleaseJson.Deserialize(r.GetString(0), r.NullableLong(1), r.NullableString(2), r.NullableString(3),
            r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4)), cancellationToken);
    }

    public Task SaveAsync(Release release, AuditEvent? audit, string leaseOwner, CancellationToken cancellationToken) =>
        database.ChangeAsync(SaveRelease, async command =>
        {
            // Thrown inside the change, so that a chat update riding on this save is not recorded either.
            if (await command.ExecuteScalarAsync(cancellationToken) is 0L)
                throw new LeaseLostException(release.Id, leaseOwner);
            return 0;
        }, cancellationToken,
            release.Id, release.State.ToString(), release.IsActive, release.Tag, release.UpdatedAt, ReleaseJson.Serialize(release), leaseOwner,
            audit?.ReleaseId, audit?.Environment, audit?.Actor, audit?.Action, audit?.FromState, audit?.ToState, audit?.Detail, audit?.At);

    public async Task<StopRequest?> RequestCancelAsync(AuditEvent requested, CancellationToken cancellationToken)
    {
        var stands = await database.ChangeAsync(RequestCancel, async command => (await command.ReadAllAsync(ReadStopRequest, cancellationToken)).FirstOrDefault(),
            cancellationToken, [.. EventArgs(requested), StopIntents.Of(requested).ToString()]);
        if (stands is not null)
            return stands;
        // A request stored concurrently, committed after this statement's snapshot: read it now (or learn it is gone).
        await using var command = database.DataSource.Command(SelectCancelRequest, requested.ReleaseId);
        return (await command.ReadAllAsync(ReadStopRequest, cancellationToken)).FirstOrDefault();
    }

    private static StopRequest ReadStopRequest(NpgsqlDataReader r) => ReleaseJson.StopRequestOf(r.GetString(0), r.NullableString(1), r.NullableTime(2));

    public async Task<bool> ClearCancelRequestAsync(long releaseId, CancellationToken cancellationToken) =>
        await database.ChangeAsync(DeleteCancelRequest, cancellationToken, releaseId) > 0;

    public async Task<IReadOnlyList<Release>> ListAsync(string? environment, bool activeOnly, int limit, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.Command(SelectReleases, environment, activeOnly, limit);
        return await command.ReadAllAsync(r => ReleaseJson.Deserialize(r.GetString(0), r.NullableLong(1)), cancellationToken);
    }

    public Task AppendAsync(AuditEvent audit, CancellationToken cancellationToken) =>
        database.ChangeAsync(InsertEvent, cancellationToken, EventArgs(audit));

    public async Task<IReadOnlyList<AuditEvent>> EventsAsync(long? releaseId, string? environment, int limit, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.Command(SelectEvents, releaseId, environment, limit);
        return await command.ReadAllAsync(r => new AuditEvent(
            r.NullableLong(0), r.GetString(1), r.GetString(2), r.GetString(3), r.NullableString(4), r.NullableString(5), r.GetString(6), r.Time(7)),
            cancellationToken);
    }

    private static NpgsqlBatchCommand EventCommand(AuditEvent e) => PostgresCommands.BatchCommand(InsertEvent, EventArgs(e));

    private static object?[] EventArgs(AuditEvent e) => [e.ReleaseId, e.Environment, e.Actor, e.Action, e.FromState, e.ToState, e.Detail, e.At];
}
