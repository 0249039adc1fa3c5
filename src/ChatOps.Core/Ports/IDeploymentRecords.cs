namespace ChatOps.Core.Ports;

/// <summary>Where each release and rollback is recorded as a deployment with a state (GitHub Deployments).</summary>
public interface IDeploymentRecords
{
    /// <summary>Creates the deployment of a release, or finds the one already created for it (a retry after a crash makes no second).</summary>
    Task<long> EnsureAsync(DeploymentRequest request, CancellationToken cancellationToken);

    /// <summary>Adds a status: <c>in_progress</c>, <c>success</c>, <c>failure</c> or <c>inactive</c>.</summary>
    Task SetStateAsync(long deploymentId, string state, string description, string? environmentUrl, CancellationToken cancellationToken);
}

public sealed record DeploymentRequest(long ReleaseId, string Kind, string Environment, string Ref, string Sha, string Description);
