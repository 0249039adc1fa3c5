using ChatOps.Host.Store.Postgres;

namespace ChatOps.IntegrationTests.Store;

/// <summary>The contracts on a real PostgreSQL: one fresh database per class, one store instance per simulated host.</summary>
public sealed class PostgresTestStore(PostgresTestDatabase database) : ITestStore
{
    private readonly List<PostgresDatabase> _opened = [];

    public async Task<StoreUnderTest> OpenAsync()
    {
        var opened = await PostgresDatabase.OpenAsync(database.ConnectionString, CancellationToken.None);
        _opened.Add(opened);
        return StoreUnderTest.On(opened);
    }

    public Task ExecuteAsync(string sql) => database.ExecuteAsync(sql);

    public async ValueTask DisposeAsync()
    {
        foreach (var opened in _opened)
            await opened.DisposeAsync();
    }
}

public sealed class PostgresReleaseStoreTests(PostgresTestDatabase database)
    : ReleaseStoreContract(new PostgresTestStore(database)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresApprovalStoreTests(PostgresTestDatabase database)
    : ApprovalStoreContract(new PostgresTestStore(database)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresEnvironmentStoreTests(PostgresTestDatabase database)
    : EnvironmentStoreContract(new PostgresTestStore(database)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresUpdateLogTests(PostgresTestDatabase database)
    : UpdateLogContract(new PostgresTestStore(database)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresLeaseTests(PostgresTestDatabase database)
    : LeaseContract(new PostgresTestStore(database)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresFencingTests(PostgresTestDatabase database)
    : FencingContract(new PostgresTestStore(database)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresAuditTests(PostgresTestDatabase database)
    : AuditContract(new PostgresTestStore(database)), IClassFixture<PostgresTestDatabase>;
