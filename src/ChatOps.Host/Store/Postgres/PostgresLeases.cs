using ChatOps.Core.Ports;

namespace ChatOps.Host.Store.Postgres;

// Lease bookkeeping is not a change a chat update causes, so it runs outside the update-recording transaction.
public sealed class PostgresLeases(PostgresDatabase database) : IReleaseLeases
{
    // One conditional update: the row lock makes two instances claiming at once queue, and the second sees the first's lease.
    private const string ClaimLease = """
        UPDATE releases SET lease_owner = $2, lease_expires_at = $4
        WHERE id = $1 AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires_at IS NULL OR lease_expires_at <= $3)
        """;
    private const string RenewLease = "UPDATE releases SET lease_expires_at = $3 WHERE id = $1 AND lease_owner = $2";
    private const string ReleaseLease = "UPDATE releases SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2";
    private const string SelectUnclaimed = """
        SELECT id FROM releases
        WHERE active AND (lease_owner IS NULL OR lease_expires_at IS NULL OR lease_expires_at <= $1)
        ORDER BY id
        """;

    public async Task<bool> TryClaimAsync(long releaseId, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.Command(ClaimLease, releaseId, owner, now, until);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> RenewAsync(long releaseId, string owner, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.Command(RenewLease, releaseId, owner, until);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task ReleaseAsync(long releaseId, string owner, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.Command(ReleaseLease, releaseId, owner);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<long>> UnclaimedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.Command(SelectUnclaimed, now);
        return await command.ReadAllAsync(r => r.GetInt64(0), cancellationToken);
    }
}
