namespace ChatOps.Core.Ports;

/// <summary>Which bot instance is advancing a release; a lease that is not renewed expires and another instance takes over.</summary>
public interface IReleaseLeases
{
    /// <summary>Claims or renews the release for <paramref name="owner"/> until <paramref name="until"/>; false when another owner holds a live lease.</summary>
    Task<bool> TryClaimAsync(long releaseId, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>
    /// Extends a lease <paramref name="owner"/> still holds; false once another owner took it or it was given back,
    /// so a stalled instance cannot win back a release that moved on without it.
    /// </summary>
    Task<bool> RenewAsync(long releaseId, string owner, DateTimeOffset until, CancellationToken cancellationToken);

    Task ReleaseAsync(long releaseId, string owner, CancellationToken cancellationToken);

    /// <summary>Active releases whose lease is free or expired at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<long>> UnclaimedAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
