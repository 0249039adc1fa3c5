using ChatOps.Core.Ports;

namespace ChatOps.Core.Store;

/// <summary>What runs in each environment, and its deploy freeze.</summary>
public interface IEnvironmentStore : IEnvironmentRecords
{
    Task<EnvironmentState> GetAsync(string environment, CancellationToken cancellationToken);

    /// <summary>Sets the lock unless a live one is held; returns the lock in force afterwards.</summary>
    Task<EnvironmentLock> LockAsync(EnvironmentLock requested, DateTimeOffset now, CancellationToken cancellationToken);

    Task<EnvironmentLock?> UnlockAsync(string environment, CancellationToken cancellationToken);
}

public sealed record EnvironmentLock(string Environment, string LockedBy, string Reason, DateTimeOffset At, DateTimeOffset? Until)
{
    public bool IsLive(DateTimeOffset now) => Until is null || now < Until;
}

public sealed record EnvironmentState(
    string Environment,
    IReadOnlyList<DeployedService> Services,
    string? LastMigration,
    EnvironmentLock? Lock);
