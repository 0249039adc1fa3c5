namespace ChatOps.Core.Ports;

/// <summary>What runs in each environment, and its deploy freeze.</summary>
public interface IEnvironmentStore
{
    Task<EnvironmentState> GetAsync(string environment, CancellationToken cancellationToken);

    Task RecordServiceAsync(string environment, DeployedService service, CancellationToken cancellationToken);

    Task RecordMigrationAsync(string environment, string revision, CancellationToken cancellationToken);

    /// <summary>Sets the lock unless a live one is held; returns the lock in force afterwards.</summary>
    Task<EnvironmentLock> LockAsync(EnvironmentLock requested, DateTimeOffset now, CancellationToken cancellationToken);

    Task<EnvironmentLock?> UnlockAsync(string environment, CancellationToken cancellationToken);
}

public sealed record DeployedService(string Service, string Tag, string Image, long? ReleaseId, DateTimeOffset At);

public sealed record EnvironmentLock(string Environment, string LockedBy, string Reason, DateTimeOffset At, DateTimeOffset? Until)
{
    public bool IsLive(DateTimeOffset now) => Until is null || now < Until;
}

public sealed record EnvironmentState(
    string Environment,
    IReadOnlyList<DeployedService> Services,
    string? LastMigration,
    EnvironmentLock? Lock);
