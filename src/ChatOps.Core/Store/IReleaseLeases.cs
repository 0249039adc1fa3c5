namespace ChatOps.Core.Store;

/// <summary>
/// Which bot instance is advancing a release; a lease that is not renewed expires and another instance takes over.
/// Expiry is reckoned on the store's clock, never the caller's: two instances whose clocks disagree still agree on
/// whether a lease is live, so a fast clock cannot take a lease that is still held.
/// </summary>
public interface IReleaseLeases
{
    /// <summary>Claims or renews the release for <paramref name="owner"/> for <paramref name="ttl"/> from the store's now; false when another owner holds a live lease.</summary>
    Task<bool> TryClaimAsync(long releaseId, string owner, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>
    /// Extends a lease <paramref name="owner"/> still holds; false once another owner took it or it was given back,
    /// so a stalled instance cannot win back a release that moved on without it.
    /// </summary>
    Task<bool> RenewAsync(long releaseId, string owner, TimeSpan ttl, CancellationToken cancellationToken);

    Task ReleaseAsync(long releaseId, string owner, CancellationToken cancellationToken);

    /// <summary>Active releases whose lease is free or expired at the store's now.</summary>
    Task<IReadOnlyList<long>> UnclaimedAsync(CancellationToken cancellationToken);
}
