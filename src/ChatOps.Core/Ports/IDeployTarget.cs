namespace ChatOps.Core.Ports;

/// <summary>The platform the services run on (Fly Machines).</summary>
public interface IDeployTarget
{
    /// <summary>The machines that serve the app: the bot's own temporary machines (a release's migrations) are not among them.</summary>
    Task<IReadOnlyList<MachineStatus>> ListMachinesAsync(string app, CancellationToken cancellationToken);

    /// <summary>
    /// Puts one machine on <paramref name="image"/>: lease, update, wait for started and passing checks, release.
    /// A machine already on the image and healthy is left alone, which makes a retry safe.
    /// </summary>
    Task<MachineStatus> DeployAsync(string app, string machineId, string image, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// The release's temporary machine of the migrations app, on the release's own image (a machine of the app runs the
    /// image it was started from, so only this one knows the release's migrations): found again by its metadata, or
    /// created. One per release at most. With <paramref name="waitStarted"/> false it only asks for the machine, so its
    /// start can overlap other work; a later call waits.
    /// </summary>
    Task<MigrationMachine> StartMigrationMachineAsync(string app, long releaseId, string image, bool waitStarted, CancellationToken cancellationToken);

    /// <summary>Runs a command in the migration machine. A timeout is an unknown outcome, reported as such.</summary>
    Task<ExecResult> ExecAsync(MigrationMachine machine, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a command that only reads (<c>alembic current</c>, <c>heads</c>, <c>history</c>, <c>upgrade --sql</c>): running it twice
    /// is harmless, so a server error or a timeout is tried again like any other read instead of being an unknown outcome.
    /// </summary>
    Task<ExecResult> ReadAsync(MigrationMachine machine, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) =>
        ExecAsync(machine, command, timeout, cancellationToken);

    /// <summary>Destroys the release's migration machines (a crash may have left one); none there is not an error.</summary>
    Task DestroyMigrationMachinesAsync(string app, long releaseId, CancellationToken cancellationToken);

    /// <summary>Every migration machine the bot has in the app, for the sweep that removes those of ended releases.</summary>
    Task<IReadOnlyList<MigrationMachine>> ListMigrationMachinesAsync(string app, CancellationToken cancellationToken);

    /// <summary>
    /// Takes a snapshot of the app's first volume and returns its id once the platform lists it; a snapshot
    /// taken since <paramref name="reuseSince"/> is returned instead, so a retried backup makes no second one.
    /// </summary>
    Task<string> SnapshotVolumeAsync(string app, DateTimeOffset reuseSince, CancellationToken cancellationToken);
}

/// <param name="Digest">The image digest the platform resolved (Fly's <c>image_ref.digest</c>), when it reports one.</param>
public sealed record MachineStatus(string Id, string State, string Image, bool Healthy, string? Digest = null);

/// <summary>A release's temporary machine of the migrations app, on the release's image.</summary>
/// <param name="CreatedAt">When the platform created it (the sweep leaves a young one alone), when it says.</param>
public sealed record MigrationMachine(string App, string Id, long ReleaseId, string Image, string State, DateTimeOffset? CreatedAt = null);

public sealed record ExecResult(int ExitCode, string Stdout, string Stderr);

/// <summary>The outside call may or may not have taken effect: only a human can tell.</summary>
public sealed class OutcomeUnknownException(string message, Exception? inner = null) : Exception(message, inner);
