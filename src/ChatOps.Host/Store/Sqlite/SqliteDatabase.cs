using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using Dapper;
using Microsoft.Data.Sqlite;
using static ChatOps.Host.Store.Sqlite.SqliteTime;

namespace ChatOps.Host.Store.Sqlite;

/// <summary>
/// The embedded default store (SQLite): nothing to install for a first run. Writes are serialized by one
/// gate because SQLite allows one writer; the volume of a release bot is far below what that limits.
/// This owns the database file and its schema; the ports (<see cref="SqliteReleases"/> and its siblings) share it.
/// </summary>
public sealed class SqliteDatabase : IStoreProbe, IDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SqliteConnection? _keepAlive;

    public SqliteDatabase(string connectionString)
    {
        _connectionString = connectionString;
        // An in-memory database lives as long as one connection to it is open.
        if (connectionString.Contains("Mode=Memory", StringComparison.OrdinalIgnoreCase))
        {
            _keepAlive = new SqliteConnection(connectionString);
            _keepAlive.Open();
        }
        Migrate();
    }

    public static SqliteDatabase InMemory() => new($"Data Source=chatops-{Guid.NewGuid():N};Mode=Memory;Cache=Shared");

    public static SqliteDatabase AtPath(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        return new SqliteDatabase($"Data Source={path}");
    }

    private void Migrate()
    {
        using var connection = Open();
        connection.Execute("PRAGMA journal_mode = WAL;");
        connection.Execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        var applied = connection.ExecuteScalar<long?>("SELECT MAX(version) FROM schema_version") ?? 0;
        for (var version = (int)applied + 1; version <= SqliteSchema.Migrations.Count; version++)
        {
            using var tx = connection.BeginTransaction();
            connection.Execute(SqliteSchema.Migrations[version - 1], transaction: tx);
            connection.Execute("INSERT INTO schema_version (version) VALUES (@version)", new { version }, tx);
            tx.Commit();
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        connection.Execute("PRAGMA busy_timeout = 5000;");
        return connection;
    }

    /// <summary>
    /// Runs a change in one transaction. When it is the first change a chat update causes (and
    /// <paramref name="recordsUpdate"/>, false for lease bookkeeping), the update id is written in the same
    /// transaction; an id already there rolls the change back and reports the duplicate.
    /// </summary>
    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken, bool recordsUpdate = true)
    {
        var receipt = recordsUpdate ? UpdateReceipt.Pending : null;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = Open();
            await using var tx = connection.BeginTransaction();
            if (receipt is not null && await MarkAsync(connection, tx, receipt.Platform, receipt.UpdateId) == 0)
                throw new DuplicateUpdateException(receipt.Platform, receipt.UpdateId);
            var result = await work(connection, tx);
            await tx.CommitAsync(cancellationToken);
            receipt?.Recorded();
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    internal async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work)
    {
        await using var connection = Open();
        return await work(connection);
    }

    internal static Task<int> MarkAsync(SqliteConnection connection, SqliteTransaction tx, string platform, string updateId) =>
        connection.ExecuteAsync(
            "INSERT INTO processed_updates (platform, update_id, at) VALUES (@platform, @updateId, @at) ON CONFLICT DO NOTHING",
            new { platform, updateId, at = Ms(DateTimeOffset.UtcNow) }, tx);

    public string Kind => "embedded";

    public async Task<bool> PingAsync(CancellationToken cancellationToken) =>
        await ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken))) == 1;

    public void Dispose()
    {
        _keepAlive?.Dispose();
        _gate.Dispose();
    }
}
