using Npgsql;

namespace ChatOps.IntegrationTests.Store;

/// <summary>A fresh database on the test server (<c>CHATOPS_TEST_POSTGRES</c>), dropped afterwards.</summary>
public sealed class PostgresTestDatabase : IAsyncLifetime
{
    private readonly string _name = $"chatops_test_{Guid.NewGuid():N}";

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var server = Server();
        await ExecuteAsync(server, $"CREATE DATABASE {_name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = _name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (ConnectionString.Length > 0)
            await ExecuteAsync(Server(), $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }

    /// <summary>Runs one statement on this database, beside any store.</summary>
    public Task ExecuteAsync(string sql) => ExecuteAsync(ConnectionString, sql);

    // No silent skips: without a server these tests fail, and say how to get one.
    private static string Server()
    {
        var value = Environment.GetEnvironmentVariable("CHATOPS_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(value))
            return new NpgsqlConnectionStringBuilder(value) { Pooling = false }.ConnectionString;
        if (Environment.GetEnvironmentVariable("CI") == "true")
            throw new InvalidOperationException("FATAL: CHATOPS_TEST_POSTGRES is not set under CI=true; .ci/run (scripts/test.sh) starts PostgreSQL and sets it.");
        throw new InvalidOperationException(
            "CHATOPS_TEST_POSTGRES is not set, and the store tests need a real PostgreSQL: run scripts/test.sh, or " +
            "`scripts/postgres.sh start /tmp/pg 55440` and export the connection string it prints as CHATOPS_TEST_POSTGRES.");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
