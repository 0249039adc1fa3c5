using ChatOps.Core.Store;
using Npgsql;

namespace ChatOps.Host.Store.Postgres;

/// <summary>
/// The production store (PostgreSQL), for one bot instance or several on one database: the rules that must hold
/// across instances (one active release per environment, one use per token, one effect per update, one lease holder)
/// are enforced by constraints and row locks, not by anything in this process. This owns the data source and the
/// schema; the ports (<see cref="PostgresReleases"/> and its siblings) share it.
/// </summary>
public sealed class PostgresDatabase(NpgsqlDataSource dataSource, NpgsqlDataSource? multiplexed = null) : IStoreProbe, IHostedService, IAsyncDisposable
{
    // A second writer of the same id waits for the first to commit, then inserts nothing.
    internal const string InsertUpdate = "INSERT INTO processed_updates (platform, update_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";

    internal NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>
    /// For single statements that need no session and no transaction, on the path of every chat update: many
    /// callers' statements share a few connections and go out together (<see cref="PostgresConnectionString.Multiplexed"/>).
    /// </summary>
    internal NpgsqlDataSource Statements { get; } = multiplexed ?? dataSource;

    /// <summary>The store for a connection string: its pooled data source and the multiplexed one for single statements.</summary>
    public static PostgresDatabase For(string connectionString) =>
        new(PostgresConnectionString.DataSource(connectionString), PostgresConnectionString.Multiplexed(connectionString));

    /// <summary>A migrated database on its own data sources; disposing it disposes them.</summary>
    public static async Task<PostgresDatabase> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var database = For(connectionString);
        try
        {
            await database.MigrateAsync(cancellationToken);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Applies the schema scripts this database has not seen; safe when several instances start at once.</summary>
    public Task<int> MigrateAsync(CancellationToken cancellationToken) => PostgresSchema.MigrateAsync(DataSource, cancellationToken);

    // As a hosted service registered before the runner, the schema is in place before anything reads or writes.
    Task IHostedService.StartAsync(CancellationToken cancellationToken) => MigrateAsync(cancellationToken);

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public string Kind => "postgres";

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        await using var command = DataSource.Command("SELECT 1");
        return await command.ExecuteScalarAsync(cancellationToken) is 1;
    }

    /// <summary>
    /// Runs a change in one transaction. When the change is the first one a chat update causes, the update id is
    /// written first in the same transaction: a concurrent delivery of that update waits here for this one to
    /// commit, then finds the id taken and is rolled back whole.
    /// </summary>
    internal async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var receipt = UpdateReceipt.Pending;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (receipt is not null)
        {
            await using var mark = connection.Command(InsertUpdate, receipt.Platform, receipt.UpdateId);
            if (await mark.ExecuteNonQueryAsync(cancellationToken) == 0)
                throw new DuplicateUpdateException(receipt.Platform, receipt.UpdateId);
        }
        var result = await work(connection);
        await transaction.CommitAsync(cancellationToken);
        receipt?.Recorded();
        return result;
    }

    /// <summary>
    /// One statement as a change: on its own (one round trip, atomic by itself), or, when it is the first change of
    /// a chat update, in a transaction with the update id (see <see cref="InTransactionAsync{T}"/>).
    /// </summary>
    internal async Task<T> ChangeAsync<T>(string sql, Func<NpgsqlCommand, Task<T>> run, CancellationToken cancellationToken, params object?[] args)
    {
        if (UpdateReceipt.Pending is null)
        {
            await using var command = DataSource.Command(sql, args);
            return await run(command);
        }
        return await InTransactionAsync(async connection =>
        {
            await using var command = connection.Command(sql, args);
            return await run(command);
        }, cancellationToken);
    }

    internal Task<int> ChangeAsync(string sql, CancellationToken cancellationToken, params object?[] args) =>
        ChangeAsync(sql, c => c.ExecuteNonQueryAsync(cancellationToken), cancellationToken, args);

    public async ValueTask DisposeAsync()
    {
        if (Statements != DataSource)
            await Statements.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
