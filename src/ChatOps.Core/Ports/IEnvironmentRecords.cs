namespace ChatOps.Core.Ports;

/// <summary>
/// What the steps write about an environment as they change it: the image each service runs and the schema's
/// revision. The rest of the environment's record (its lock) is the store's, which steps never read.
/// </summary>
public interface IEnvironmentRecords
{
    Task RecordServiceAsync(string environment, DeployedService service, CancellationToken cancellationToken);

    Task RecordMigrationAsync(string environment, string revision, CancellationToken cancellationToken);
}

public sealed record DeployedService(string Service, string Tag, string Image, long? ReleaseId, DateTimeOffset At);
