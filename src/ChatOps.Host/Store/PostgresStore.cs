using ChatOps.Core.Ports;
using Npgsql;

namespace ChatOps.Host.Store;

/// <summary>
/// The production store (PostgreSQL), for one bot instance or several on one database: the rules that must hold
/// across instances (one active release per environment, one use per token, one effect per update, one lease holder)
/// are enforced by constraints and row locks, not by anything in this process.
/// </summary>
public sealed partial class PostgresStore(NpgsqlDataSource dataSource)
    : IReleaseStore, IApprovalStore, IEnvironmentStore, IUpdateLog, IReleaseLeases, IStoreProbe, IHostedService, IAsyncDisposable
{
    /// <summary>A migrated store on its own data source; the store disposes the data source with itself.</summary>
    public static async Task<PostgresStore> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var store = new PostgresStore(PostgresConnectionString.DataSource(connectionString));
        try
        {
            await store.MigrateAsync(cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>Applies the schema scripts this database has not seen; safe when several instances start at once.</summary>
    public Task<int> MigrateAsync(CancellationToken cancellationToken) => PostgresSchema.MigrateAsync(dataSource, cancellationToken);

    // As a hosted service registered before the runner, the schema is in place before anything reads or writes.
    Task IHostedService.StartAsync(CancellationToken cancellationToken) => MigrateAsync(cancellationToken);

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public string Kind => "postgres";

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.Command("SELECT 1");
        return await command.ExecuteScalarAsync(cancellationToken) is 1;
    }

    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Runs the commands in one round trip; Postgres wraps a batch in one implicit transaction.</summary>
    private async Task<int> ExecuteBatchAsync(IEnumerable<NpgsqlBatchCommand> commands, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var command in commands)
            batch.BatchCommands.Add(command);
        return await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
