using ChatOps.Core.Store;
using ChatOps.Host.Store.Postgres;
using ChatOps.Host.Store.Sqlite;

namespace ChatOps.Benchmarks.Throughput;

/// <summary>The real store under test, seen through the ports the runner needs; a Postgres one lives in its own fresh database.</summary>
public sealed record BenchStore(string Name, IReleaseStore Releases, IApprovalStore Approvals, IEnvironmentStore Environments, IReleaseLeases Leases, Func<ValueTask> Dispose)
{
    public static BenchStore Sqlite()
    {
        var database = SqliteDatabase.InMemory();
        return On("sqlite (in-memory)", database, () =>
        {
            database.Dispose();
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>The embedded default as production runs it: a WAL-mode file (here under the temp directory).</summary>
    public static BenchStore SqliteFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"chatops-bench-{Guid.NewGuid():N}.db");
        var database = SqliteDatabase.AtPath(path);
        return On("sqlite (file, WAL)", database, () =>
        {
            database.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                File.Delete(file);
            return ValueTask.CompletedTask;
        });
    }

    public static async Task<BenchStore> PostgresAsync(CancellationToken cancellationToken)
    {
        var database = await BenchDatabase.CreateAsync(cancellationToken);
        var opened = await PostgresDatabase.OpenAsync(database.ConnectionString, cancellationToken);
        return new BenchStore("postgres", new PostgresReleases(opened), new PostgresApprovals(opened), new PostgresEnvironments(opened), new PostgresLeases(opened), async () =>
        {
            await opened.DisposeAsync();
            await database.DisposeAsync();
        });
    }

    private static BenchStore On(string name, SqliteDatabase database, Func<ValueTask> dispose) =>
        new(name, new SqliteReleases(database), new SqliteApprovals(database), new SqliteEnvironments(database), new SqliteLeases(database), dispose);
}
