using ChatOps.Core.Ports;

namespace ChatOps.IntegrationTests.Store;

/// <summary>One store seen through every port it implements, whichever class it is.</summary>
public sealed record StoreUnderTest(IReleaseStore Releases, IApprovalStore Approvals, IEnvironmentStore Environments, IUpdateLog Updates, IReleaseLeases Leases)
{
    public static StoreUnderTest Of<T>(T store)
        where T : IReleaseStore, IApprovalStore, IEnvironmentStore, IUpdateLog, IReleaseLeases =>
        new(store, store, store, store, store);
}
