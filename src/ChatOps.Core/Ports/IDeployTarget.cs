namespace ChatOps.Core.Ports;

/// <summary>The platform the services run on (Fly Machines).</summary>
public interface IDeployTarget
{
    Task<IReadOnlyList<MachineStatus>> ListMachinesAsync(string app, CancellationToken cancellationToken);

    /// <summary>
    /// Puts one machine on <paramref name="image"/>: lease, update, wait for started and passing checks, release.
    /// A machine already on the image and healthy is left alone, which makes a retry safe.
    /// </summary>
    Task<MachineStatus> DeployAsync(string app, string machineId, string image, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Runs a command in a started machine of the app. A timeout is an unknown outcome, reported as such.</summary>
    Task<ExecResult> ExecAsync(string app, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a command that only reads (<c>alembic current</c>, <c>heads</c>, <c>history</c>): running it twice is harmless,
    /// so a server error or a timeout is tried again like any other read instead of being an unknown outcome.
    /// </summary>
    Task<ExecResult> ReadAsync(string app, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) =>
        ExecAsync(app, command, timeout, cancellationToken);

    /// <summary>
    /// Takes a snapshot of the app's first volume and returns its id once the platform lists it; a snapshot
    /// taken since <paramref name="reuseSince"/> is returned instead, so a retried backup makes no second one.
    /// </summary>
    Task<string> SnapshotVolumeAsync(string app, DateTimeOffset reuseSince, CancellationToken cancellationToken);
}

/// <param name="Digest">The image digest the platform resolved (Fly's <c>image_ref.digest</c>), when it reports one.</param>
public sealed record MachineStatus(string Id, string State, string Image, bool Healthy, string? Digest = null);

public sealed record ExecResult(int ExitCode, string Stdout, string Stderr);

/// <summary>The outside call may or may not have taken effect: only a human can tell.</summary>
public sealed class OutcomeUnknownException(string message, Exception? inner = null) : Exception(message, inner);
