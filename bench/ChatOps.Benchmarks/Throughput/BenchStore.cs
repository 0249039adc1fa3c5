using ChatOps.Core.Ports;
using ChatOps.Host.Store;

namespace ChatOps.Benchmarks.Throughput;

/// <summary>The real store under test, seen through the ports the runner needs; a Postgres one lives in its own fresh database.</summary>
public sealed record BenchStore(string Name, IReleaseStore Releases, IApprovalStore Approvals, IEnvironmentStore Environments, IReleaseLeases Leases, Func<ValueTask> Dispose)
{
    public static BenchStore Sqlite()
    {
        var store = SqliteStore.InMemory();
        return new BenchStore("sqlite (in-memory)", store, store, store, store, () =>
        {
            store.Dispose();
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>The embedded default as production runs it: a WAL-mode file (here under the temp directory).</summary>
    public static BenchStore SqliteFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"chatops-bench-{Guid.NewGuid():N}.db");
        var store = SqliteStore.AtPath(path);
        return new BenchStore("sqlite (file, WAL)", store, store, store, store, () =>
        {
            store.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                File.Delete(file);
            return ValueTask.CompletedTask;
        });
    }

    public static async Task<BenchStore> PostgresAsync(CancellationToken cancellationToken)
    {
        var database = await BenchDatabase.CreateAsync(cancellationToken);
        var store = await PostgresStore.OpenAsync(database.ConnectionString, cancellationToken);
        return new BenchStore("postgres", store, store, store, store, async () =>
        {
            await store.DisposeAsync();
            await database.DisposeAsync();
        });
    }
}
