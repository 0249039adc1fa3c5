using ChatOps.Core.Store;


namespace ChatOps.Host.Store.Postgres;

// Updates that changed nothing; an update that changes something is recorded by that change, in its transaction
// (PostgresDatabase.InTransactionAsync), with the same statement. The two single statements on every update's path
// go through the multiplexed data source.
public sealed class PostgresUpdateLog(PostgresDatabase database) : IUpdateLog
{
    private const string DeleteUpdates = "DELETE FROM processed_updates WHERE at < $1";
    private const string SelectUpdate = "SELECT 1 FROM processed_updates WHERE platform = $1 AND update_id = $2";
    private const string SelectLastHandled = "SELECT max(at) FROM processed_updates WHERE platform = $1";

    public async Task<bool> TryMarkProcessedAsync(string platform, string updateId, CancellationToken cancellationToken)
    {
        await using var command = database.Statements.Command(PostgresDatabase.InsertUpdate, platform, updateId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> IsProcessedAsync(string platform, string updateId, CancellationToken cancellationToken)
    {
        await using var command = database.Statements.Command(SelectUpdate, platform, updateId);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<DateTimeOffset?> LastHandledAsync(string platform, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.Command(SelectLastHandled, platform);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    public async Task<int> ForgetAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.Command(DeleteUpdates, before);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
