using ChatOps.Host.Store.Postgres;
using Npgsql;

namespace ChatOps.IntegrationTests.Store;

/// <summary>
/// The contracts on a real PostgreSQL: one fresh database per class, one store instance per simulated host. Without
/// pooling, as the other tests use the server; <paramref name="pooled"/> as in production, where the processed-update
/// statements go through the multiplexed data source.
/// </summary>
public sealed class PostgresTestStore(PostgresTestDatabase database, bool pooled = false) : ITestStore
{
    private readonly List<PostgresDatabase> _opened = [];

    public async Task<StoreUnderTest> OpenAsync()
    {
        var connectionString = pooled ? new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = true }.ConnectionString : database.ConnectionString;
        var opened = await PostgresDatabase.OpenAsync(connectionString, CancellationToken.None);
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

public sealed class PostgresIncidentStoreTests(PostgresTestDatabase database)
    : IncidentStoreContract(new PostgresTestStore(database)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresUpdateLogTests(PostgresTestDatabase database)
    : UpdateLogContract(new PostgresTestStore(database)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresPooledUpdateLogTests(PostgresTestDatabase database)
    : UpdateLogContract(new PostgresTestStore(database, pooled: true)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresPooledReleaseStoreTests(PostgresTestDatabase database)
    : ReleaseStoreContract(new PostgresTestStore(database, pooled: true)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresLeaseTests(PostgresTestDatabase database)
    : LeaseContract(new PostgresTestStore(database)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresFencingTests(PostgresTestDatabase database)
    : FencingContract(new PostgresTestStore(database)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresAuditTests(PostgresTestDatabase database)
    : AuditContract(new PostgresTestStore(database)), IClassFixture<PostgresTestDatabase>;
