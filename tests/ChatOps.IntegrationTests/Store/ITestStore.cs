namespace ChatOps.IntegrationTests.Store;

/// <summary>One kind of store for one contract test: how to open it and how to reach its database directly.</summary>
public interface ITestStore : IAsyncDisposable
{
    /// <summary>A store on this test's database: for Postgres a new instance, as a second host would have.</summary>
    Task<StoreUnderTest> OpenAsync();

    /// <summary>Runs a statement straight on the database, beside the store.</summary>
    Task ExecuteAsync(string sql);
}
