namespace ChatOps.Core.Runner;

/// <summary>Another bot instance holds the release's lease.</summary>
public sealed class LeaseHeldException(long releaseId)
    : Exception($"Another ChatOps instance is working on release #{releaseId} right now; try again in a few seconds.");
