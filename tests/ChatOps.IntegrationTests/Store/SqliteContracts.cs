using ChatOps.Host.Store.Sqlite;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ChatOps.IntegrationTests.Store;

/// <summary>The contracts on the embedded store, in a fresh in-memory database per test.</summary>
public sealed class SqliteTestStore : ITestStore
{
    // What SqliteDatabase.InMemory() builds, under a name this test knows so that it can open the database beside the store.
    private readonly string _connectionString = $"Data Source=contract-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
    private readonly SqliteDatabase _database;

    public SqliteTestStore() => _database = new SqliteDatabase(_connectionString);

    // One process holds an embedded store, so "another host" is the same store.
    public Task<StoreUnderTest> OpenAsync() => Task.FromResult(StoreUnderTest.On(_database));

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync(sql);
    }

    public ValueTask DisposeAsync()
    {
        _database.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class SqliteReleaseStoreTests() : ReleaseStoreContract(new SqliteTestStore());

public sealed class SqliteApprovalStoreTests() : ApprovalStoreContract(new SqliteTestStore());

public sealed class SqliteEnvironmentStoreTests() : EnvironmentStoreContract(new SqliteTestStore());

public sealed class SqliteIncidentStoreTests() : IncidentStoreContract(new SqliteTestStore());

public sealed class SqliteUpdateLogTests() : UpdateLogContract(new SqliteTestStore());

public sealed class SqliteLeaseTests() : LeaseContract(new SqliteTestStore());

public sealed class SqliteFencingTests() : FencingContract(new SqliteTestStore());

public sealed class SqliteAuditTests() : AuditContract(new SqliteTestStore());
