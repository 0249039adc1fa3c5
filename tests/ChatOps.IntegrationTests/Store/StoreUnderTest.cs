using ChatOps.Core.Store;
using ChatOps.Host.Store.Postgres;
using ChatOps.Host.Store.Sqlite;

namespace ChatOps.IntegrationTests.Store;

/// <summary>One store seen through every port it implements, as the host wires them over one database.</summary>
public sealed record StoreUnderTest(IReleaseStore Releases, IApprovalStore Approvals, IEnvironmentStore Environments, IUpdateLog Updates, IReleaseLeases Leases)
{
    public static StoreUnderTest On(PostgresDatabase database) =>
        new(new PostgresReleases(database), new PostgresApprovals(database), new PostgresEnvironments(database), new PostgresUpdateLog(database), new PostgresLeases(database));

    public static StoreUnderTest On(SqliteDatabase database) =>
        new(new SqliteReleases(database), new SqliteApprovals(database), new SqliteEnvironments(database), new SqliteUpdateLog(database), new SqliteLeases(database));
}
