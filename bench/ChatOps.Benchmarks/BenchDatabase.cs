using Npgsql;

namespace ChatOps.Benchmarks;

/// <summary>A fresh database on the server named by <c>CHATOPS_BENCH_POSTGRES</c>, dropped afterwards.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    public const string Variable = "CHATOPS_BENCH_POSTGRES";

    private readonly string _server;
    private readonly string _name;

    private BenchDatabase(string server, string name)
    {
        _server = server;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ConnectionString;
    }

    public string ConnectionString { get; }

    public static bool Configured => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable));

    public static async Task<BenchDatabase> CreateAsync(CancellationToken cancellationToken)
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
            throw new InvalidOperationException(
                $"{Variable} is not set: `scripts/postgres.sh start /tmp/pg-bench 55450` prints a connection string to export as {Variable}.");
        var server = new NpgsqlConnectionStringBuilder(value) { Pooling = false }.ConnectionString;
        var database = new BenchDatabase(server, $"chatops_bench_{Guid.NewGuid():N}");
        await ExecuteAsync(server, $"CREATE DATABASE {database._name}", cancellationToken);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", CancellationToken.None);
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
