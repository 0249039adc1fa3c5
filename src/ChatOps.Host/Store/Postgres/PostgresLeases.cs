using ChatOps.Core.Store;


namespace ChatOps.Host.Store.Postgres;

// Lease bookkeeping is not a change a chat update causes, so it runs outside the update-recording transaction.
public sealed class PostgresLeases(PostgresDatabase database) : IReleaseLeases
{
    // Every instant is the database's now(): instances whose clocks disagree still agree on whether a lease is live.
    // One conditional update: the row lock makes two instances claiming at once queue, and the second sees the first's lease.
    private const string ClaimLease = """
        UPDATE releases SET lease_owner = $2, lease_expires_at = now() + $3
        WHERE id = $1 AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires_at IS NULL OR lease_expires_at <= now())
        """;
    private const string RenewLease = "UPDATE releases SET lease_expires_at = now() + $3 WHERE id = $1 AND lease_owner = $2";
    private const string ReleaseLease = "UPDATE releases SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2";
    private const string SelectUnclaimed = """
        SELECT id FROM releases
        WHERE active AND (lease_owner IS NULL OR lease_expires_at IS NULL OR lease_expires_at <= now())
        ORDER BY id
        """;

    public async Task<bool> TryClaimAsync(long releaseId, string owner, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.Command(ClaimLease, releaseId, owner, ttl);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> RenewAsync(long releaseId, string owner, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.Command(RenewLease, releaseId, owner, ttl);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task ReleaseAsync(long releaseId, string owner, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.Command(ReleaseLease, releaseId, owner);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<long>> UnclaimedAsync(CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.Command(SelectUnclaimed);
        return await command.ReadAllAsync(r => r.GetInt64(0), cancellationToken);
    }
}
