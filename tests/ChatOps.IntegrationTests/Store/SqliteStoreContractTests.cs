using ChatOps.Host.Store;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ChatOps.IntegrationTests.Store;

public sealed class SqliteStoreContractTests : StoreContract, IDisposable
{
    // What SqliteStore.InMemory() builds, under a name this test knows so that it can open the database beside the store.
    private readonly string _connectionString = $"Data Source=contract-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
    private readonly SqliteStore _store;

    public SqliteStoreContractTests() => _store = new SqliteStore(_connectionString);

    // One process holds an embedded store, so "another host" is the same store.
    protected override Task<StoreUnderTest> OpenAsync() => Task.FromResult(StoreUnderTest.Of(_store));

    protected override async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync(sql);
    }

    public void Dispose() => _store.Dispose();
}
