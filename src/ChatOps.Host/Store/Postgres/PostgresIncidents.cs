using ChatOps.Core.Store;
using Npgsql;

namespace ChatOps.Host.Store.Postgres;

public sealed class PostgresIncidents(PostgresDatabase database) : IIncidentStore
{
    internal const string Columns = "id, environment, title, link, opened_by, source, external_id, opened_at, resolved_at, resolved_by";
    internal const string SelectOpen = $"SELECT {Columns} FROM incidents WHERE environment = $1 AND resolved_at IS NULL";
    // A second open incident conflicts with the partial unique index and is dropped; the open one is read back.
    private const string Insert = """
        INSERT INTO incidents (environment, title, link, opened_by, source, external_id, opened_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (environment) WHERE resolved_at IS NULL DO NOTHING
        """;
    private const string Resolve = $"UPDATE incidents SET resolved_at = $2, resolved_by = $3 WHERE environment = $1 AND resolved_at IS NULL RETURNING {Columns}";

    public Task<Incident> OpenAsync(Incident incident, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async connection =>
        {
            await using (var insert = connection.Command(Insert, incident.Environment, incident.Title, incident.Link, incident.OpenedBy, incident.Source,
                incident.ExternalId, incident.OpenedAt))
                await insert.ExecuteNonQueryAsync(cancellationToken);
            await using var select = connection.Command(SelectOpen, incident.Environment);
            return await select.ReadFirstAsync(Read, cancellationToken)
                ?? throw new InvalidOperationException($"The incident on {incident.Environment} was resolved while it was being opened.");
        }, cancellationToken);

    public Task<Incident?> ResolveAsync(string environment, string resolvedBy, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.ChangeAsync(Resolve, command => command.ReadFirstAsync(Read, cancellationToken), cancellationToken, environment, at, resolvedBy);

    internal static Incident Read(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.NullableString(3), r.GetString(4), r.GetString(5), r.NullableString(6), r.Time(7))
        {
            ResolvedAt = r.NullableTime(8),
            ResolvedBy = r.NullableString(9),
        };
}
