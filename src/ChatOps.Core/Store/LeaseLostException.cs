namespace ChatOps.Core.Store;

/// <summary>
/// A write was refused because the writer no longer holds the release's lease: its lease ran out while it was
/// stalled and another instance took the release over. What the stalled instance knew is stale.
/// </summary>
public sealed class LeaseLostException(long releaseId, string owner)
    : Exception($"{owner} no longer holds the lease on release #{releaseId}; another instance took it over.")
{
    public long ReleaseId { get; } = releaseId;
}
