using ChatOps.Host.Store;

namespace ChatOps.IntegrationTests.Store;

/// <summary>The contract on a real PostgreSQL: one fresh database for the class, one store instance per simulated host.</summary>
public sealed class PostgresStoreContractTests(PostgresTestDatabase database) : StoreContract, IClassFixture<PostgresTestDatabase>
{
    private readonly List<PostgresStore> _opened = [];

    protected override async Task<StoreUnderTest> OpenAsync()
    {
        var store = await PostgresStore.OpenAsync(database.ConnectionString, CancellationToken.None);
        _opened.Add(store);
        return StoreUnderTest.Of(store);
    }

    protected override Task ExecuteAsync(string sql) => database.ExecuteAsync(sql);

    public override async Task DisposeAsync()
    {
        foreach (var store in _opened)
            await store.DisposeAsync();
    }
}
