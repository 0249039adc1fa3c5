using ChatOps.Core.Ports;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Fly;

// IDeployTarget over the Fly Machines API, one role per runbook step: Deploy's machines, the migration machine and its
// exec (Approval, Migrate, Verify schema), Backup's snapshots.
// Singleton: each operation opens a Flurl client on the pooled handler.
public sealed class FlyClient : IDeployTarget
{
    public const string HttpClientName = "Fly";

    private readonly FlyMachines _machines;
    private readonly FlyMigrationMachines _migrationMachines;
    private readonly FlyExec _exec;
    private readonly FlyVolumes _volumes;

    public FlyClient(IHttpClientFactory httpClients, IOptions<FlyOptions> options, TimeProvider time, ILogger<FlyClient> logger)
    {
        var api = new FlyApi(httpClients, options.Value);
        _machines = new FlyMachines(api, time, logger);
        _migrationMachines = new FlyMigrationMachines(api, time);
        _exec = new FlyExec(api);
        _volumes = new FlyVolumes(api, time);
    }

    public Task<IReadOnlyList<MachineStatus>> ListMachinesAsync(string app, CancellationToken cancellationToken) =>
        _machines.ListMachinesAsync(app, cancellationToken);

    public Task<MachineStatus> DeployAsync(string app, string machineId, string image, TimeSpan timeout, CancellationToken cancellationToken) =>
        _machines.DeployAsync(app, machineId, image, timeout, cancellationToken);

    public Task<MigrationMachine> StartMigrationMachineAsync(string app, long releaseId, string image, bool waitStarted, CancellationToken cancellationToken) =>
        _migrationMachines.StartAsync(app, releaseId, image, waitStarted, cancellationToken);

    public Task<ExecResult> ExecAsync(MigrationMachine machine, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) =>
        _exec.ExecAsync(machine, command, timeout, readOnly: false, cancellationToken);

    public Task<ExecResult> ReadAsync(MigrationMachine machine, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) =>
        _exec.ExecAsync(machine, command, timeout, readOnly: true, cancellationToken);

    public Task DestroyMigrationMachinesAsync(string app, long releaseId, CancellationToken cancellationToken) =>
        _migrationMachines.DestroyAsync(app, releaseId, cancellationToken);

    public Task<IReadOnlyList<MigrationMachine>> ListMigrationMachinesAsync(string app, CancellationToken cancellationToken) =>
        _migrationMachines.ListAsync(app, cancellationToken);

    public Task<string> SnapshotVolumeAsync(string app, DateTimeOffset reuseSince, CancellationToken cancellationToken) =>
        _volumes.SnapshotVolumeAsync(app, reuseSince, cancellationToken);
}
