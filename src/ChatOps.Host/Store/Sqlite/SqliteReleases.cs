using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using Dapper;
using Microsoft.Data.Sqlite;
using static ChatOps.Host.Store.Sqlite.SqliteTime;

namespace ChatOps.Host.Store.Sqlite;

public sealed class SqliteReleases(SqliteDatabase database) : IReleaseStore
{
    private const string InsertEvent = """
        INSERT INTO events (release_id, environment, actor, action, from_state, to_state, detail, at)
        VALUES (@ReleaseId, @Environment, @Actor, @Action, @FromState, @ToState, @Detail, @At)
        """;

    public async Task<StartOutcome> TryStartAsync(Release release, AuditEvent started, CancellationToken cancellationToken)
    {
        try
        {
            return await database.WriteAsync(async (c, tx) =>
            {
                release.Id = await c.ExecuteScalarAsync<long>(
                    """
                    INSERT INTO releases (environment, kind, tag, state, active, requester, created_at, updated_at, record)
                    VALUES (@Environment, @Kind, @Tag, @State, 1, @Requester, @Created, @Updated, '{}') RETURNING id
                    """,
                    new { release.Environment, Kind = release.Kind.ToString(), release.Tag, State = release.State.ToString(), release.Requester, Created = Ms(release.CreatedAt), Updated = Ms(release.UpdatedAt) }, tx);
                await c.ExecuteAsync("UPDATE releases SET record = @record WHERE id = @id", new { record = ReleaseJson.Serialize(release), id = release.Id }, tx);
                await c.ExecuteAsync(InsertEvent, EventRow(started with { ReleaseId = release.Id }), tx);
                // The rolled-back release is marked with the rollback that starts, in the start's transaction.
                if (release is { Kind: ReleaseKind.Rollback, RollbackOf: { } undone })
                    await c.ExecuteAsync("UPDATE releases SET rolled_back_by = @id WHERE id = @undone", new { id = release.Id, undone }, tx);
                return new StartOutcome(release, null);
            }, cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            var holder = (await ListAsync(release.Environment, activeOnly: true, limit: 1, cancellationToken)).FirstOrDefault();
            return holder is null ? await TryStartAsync(release, started, cancellationToken) : new StartOutcome(null, holder);
        }
    }

    public Task<Release?> GetAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var row = await c.QuerySingleOrDefaultAsync<(string Record, long? RolledBackBy, string? CancelRequestedBy, string? Intent, long? At)>(
                """
                SELECT r.record, r.rolled_back_by, c.requested_by, c.intent, c.at FROM releases r LEFT JOIN cancel_requests c ON c.release_id = r.id WHERE r.id = @id
                """, new { id });
            return row.Record is null ? null : ReleaseJson.Deserialize(row.Record, row.RolledBackBy, row.CancelRequestedBy, row.Intent, row.At is { } at ? At(at) : null);
        });

    public Task SaveAsync(Release release, AuditEvent? audit, string leaseOwner, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, tx) =>
        {
            // Fenced: only the holder of the release's lease writes it; otherwise nothing commits, not even the event.
            var saved = await c.ExecuteAsync(
                """
                UPDATE releases SET state = @State, active = @Active, tag = @Tag, updated_at = @Updated, record = @Record
                WHERE id = @Id AND EXISTS (SELECT 1 FROM release_leases WHERE release_id = @Id AND owner = @leaseOwner)
                """,
                new { State = release.State.ToString(), Active = release.IsActive ? 1 : 0, release.Tag, Updated = Ms(release.UpdatedAt), Record = ReleaseJson.Serialize(release), release.Id, leaseOwner }, tx);
            if (saved == 0)
                throw new LeaseLostException(release.Id, leaseOwner);
            if (audit is not null)
                await c.ExecuteAsync(InsertEvent, EventRow(audit), tx);
            return 0;
        }, cancellationToken);

    public Task<StopRequest?> RequestCancelAsync(AuditEvent requested, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(
                "INSERT INTO cancel_requests (release_id, requested_by, at, intent) VALUES (@ReleaseId, @Actor, @At, @Intent) ON CONFLICT DO NOTHING",
                new { requested.ReleaseId, requested.Actor, At = Ms(requested.At), Intent = StopIntents.Of(requested).ToString() }, tx);
            await c.ExecuteAsync(InsertEvent, EventRow(requested), tx);
            // The first request stands: answer the one stored, which may be an earlier one.
            var stands = await c.QuerySingleAsync<(string By, string? Intent, long? At)>(
                "SELECT requested_by, intent, at FROM cancel_requests WHERE release_id = @ReleaseId", new { requested.ReleaseId }, tx);
            return (StopRequest?)ReleaseJson.StopRequestOf(stands.By, stands.Intent, stands.At is { } at ? At(at) : null);
        }, cancellationToken);

    public async Task<bool> ClearCancelRequestAsync(long releaseId, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, tx) => c.ExecuteAsync("DELETE FROM cancel_requests WHERE release_id = @releaseId", new { releaseId }, tx), cancellationToken) > 0;

    public Task<IReadOnlyList<Release>> ListAsync(string? environment, bool activeOnly, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Release>>(async c =>
        {
            var rows = await c.QueryAsync<(string Record, long? RolledBackBy)>(
                """
                SELECT record, rolled_back_by FROM releases
                WHERE (@environment IS NULL OR environment = @environment) AND (@activeOnly = 0 OR active = 1)
                ORDER BY id DESC LIMIT @limit
                """,
                new { environment, activeOnly = activeOnly ? 1 : 0, limit });
            return rows.Select(row => ReleaseJson.Deserialize(row.Record, row.RolledBackBy)).ToList();
        });

    public Task AppendAsync(AuditEvent audit, CancellationToken cancellationToken) =>
        database.WriteAsync((c, tx) => c.ExecuteAsync(InsertEvent, EventRow(audit), tx), cancellationToken);

    public Task<IReadOnlyList<AuditEvent>> EventsAsync(long? releaseId, string? environment, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<AuditEvent>>(async c =>
        {
            var rows = await c.QueryAsync<EventRecord>(
                """
                SELECT release_id AS ReleaseId, environment AS Environment, actor AS Actor, action AS Action, from_state AS FromState,
                       to_state AS ToState, detail AS Detail, at AS At
                FROM events WHERE (@releaseId IS NULL OR release_id = @releaseId) AND (@environment IS NULL OR environment = @environment)
                ORDER BY id DESC LIMIT @limit
                """,
                new { releaseId, environment, limit });
            return rows.Reverse().Select(r => new AuditEvent(r.ReleaseId, r.Environment, r.Actor, r.Action, r.FromState, r.ToState, r.Detail, At(r.At))).ToList();
        });

    private static object EventRow(AuditEvent e) =>
        new { e.ReleaseId, e.Environment, e.Actor, e.Action, e.FromState, e.ToState, e.Detail, At = Ms(e.At) };

    private sealed record EventRecord(long? ReleaseId, string Environment, string Actor, string Action, string? FromState, string? ToState, string Detail, long At);
}
