using ChatOps.Core.Store;
using Dapper;
using static ChatOps.Host.Store.Sqlite.SqliteTime;

namespace ChatOps.Host.Store.Sqlite;

public sealed class SqliteIncidents(SqliteDatabase database) : IIncidentStore
{
    private const string Columns = """
        id AS Id, environment AS Environment, title AS Title, link AS Link, opened_by AS OpenedBy, source AS Source, external_id AS ExternalId,
        opened_at AS OpenedAt, resolved_at AS ResolvedAt, resolved_by AS ResolvedBy
        """;
    internal const string SelectOpen = $"SELECT {Columns} FROM incidents WHERE environment = @environment AND resolved_at IS NULL";

    public Task<Incident> OpenAsync(Incident incident, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, tx) =>
        {
            // A second open incident conflicts with the partial unique index and is dropped; the open one is read back.
            await c.ExecuteAsync(
                """
                INSERT INTO incidents (environment, title, link, opened_by, source, external_id, opened_at)
                VALUES (@Environment, @Title, @Link, @OpenedBy, @Source, @ExternalId, @OpenedAt)
                ON CONFLICT (environment) WHERE resolved_at IS NULL DO NOTHING
                """,
                new { incident.Environment, incident.Title, incident.Link, incident.OpenedBy, incident.Source, incident.ExternalId, OpenedAt = Ms(incident.OpenedAt) }, tx);
            return (await c.QuerySingleAsync<Row>(SelectOpen, new { environment = incident.Environment }, tx)).ToIncident();
        }, cancellationToken);

    public Task<Incident?> ResolveAsync(string environment, string resolvedBy, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, tx) =>
        {
            var open = await c.QuerySingleOrDefaultAsync<Row>(SelectOpen, new { environment }, tx);
            if (open is null)
                return null;
            await c.ExecuteAsync("UPDATE incidents SET resolved_at = @at, resolved_by = @resolvedBy WHERE id = @Id",
                new { at = Ms(at), resolvedBy, open.Id }, tx);
            return open.ToIncident() with { ResolvedAt = SqliteTime.At(Ms(at)), ResolvedBy = resolvedBy };
        }, cancellationToken);

    internal sealed record Row(long Id, string Environment, string Title, string? Link, string OpenedBy, string Source, string? ExternalId, long OpenedAt,
        long? ResolvedAt, string? ResolvedBy)
    {
        public Incident ToIncident() => new(Id, Environment, Title, Link, OpenedBy, Source, ExternalId, At(OpenedAt))
        {
            ResolvedAt = ResolvedAt is { } r ? At(r) : null,
            ResolvedBy = ResolvedBy,
        };
    }
}
