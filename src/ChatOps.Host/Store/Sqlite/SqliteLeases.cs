using ChatOps.Core.Store;
using Dapper;

namespace ChatOps.Host.Store.Sqlite;

public sealed class SqliteLeases(SqliteDatabase database) : IReleaseLeases
{
    // The database's clock in Unix milliseconds, as the Postgres store uses now(): expiry never depends on the caller's clock.
    private const string Now = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

    private const string ClaimLease = $"""
        INSERT INTO release_leases (release_id, owner, expires_at) SELECT @releaseId, @owner, {Now} + @ttl WHERE EXISTS (SELECT 1 FROM releases WHERE id = @releaseId)
        ON CONFLICT (release_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
        WHERE release_leases.owner = excluded.owner OR release_leases.expires_at <= {Now}
        """;
    private const string SelectUnclaimed = $"""
        SELECT r.id FROM releases r LEFT JOIN release_leases l ON l.release_id = r.id
        WHERE r.active = 1 AND (l.release_id IS NULL OR l.expires_at <= {Now})
        ORDER BY r.id
        """;

    public Task<bool> TryClaimAsync(long releaseId, string owner, TimeSpan ttl, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, tx) => await c.ExecuteAsync(ClaimLease, new { releaseId, owner, ttl = (long)ttl.TotalMilliseconds }, tx) == 1,
            cancellationToken, recordsUpdate: false);

    public Task<bool> RenewAsync(long releaseId, string owner, TimeSpan ttl, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, tx) => await c.ExecuteAsync(
            $"UPDATE release_leases SET expires_at = {Now} + @ttl WHERE release_id = @releaseId AND owner = @owner",
            new { releaseId, owner, ttl = (long)ttl.TotalMilliseconds }, tx) == 1, cancellationToken, recordsUpdate: false);

    public Task ReleaseAsync(long releaseId, string owner, CancellationToken cancellationToken) =>
        database.WriteAsync((c, tx) => c.ExecuteAsync("DELETE FROM release_leases WHERE release_id = @releaseId AND owner = @owner", new { releaseId, owner }, tx),
            cancellationToken, recordsUpdate: false);

    public Task<IReadOnlyList<long>> UnclaimedAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<long>>(async c => (await c.QueryAsync<long>(SelectUnclaimed)).ToList());
}
