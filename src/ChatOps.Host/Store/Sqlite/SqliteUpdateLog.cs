using ChatOps.Core.Store;
using Dapper;
using static ChatOps.Host.Store.Sqlite.SqliteTime;

namespace ChatOps.Host.Store.Sqlite;

// Updates that changed nothing; an update that changes something is recorded by that change, in its transaction
// (SqliteDatabase.WriteAsync). These writes are the log's own bookkeeping,
// so they do not also write the pending receipt.
public sealed class SqliteUpdateLog(SqliteDatabase database) : IUpdateLog
{
    public Task<bool> TryMarkProcessedAsync(string platform, string updateId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, tx) => await SqliteDatabase.MarkAsync(c, tx, platform, updateId) == 1, cancellationToken, recordsUpdate: false);

    public Task<bool> IsProcessedAsync(string platform, string updateId, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => await c.ExecuteScalarAsync<long?>(
            "SELECT 1 FROM processed_updates WHERE platform = @platform AND update_id = @updateId", new { platform, updateId }) is not null);

    public Task<DateTimeOffset?> LastHandledAsync(string platform, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => await c.ExecuteScalarAsync<long?>(
            "SELECT max(at) FROM processed_updates WHERE platform = @platform", new { platform }) is { } ms ? At(ms) : (DateTimeOffset?)null);

    public Task<int> ForgetAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        database.WriteAsync((c, tx) => c.ExecuteAsync("DELETE FROM processed_updates WHERE at < @before", new { before = Ms(before) }, tx),
            cancellationToken, recordsUpdate: false);
}
