using ChatOps.Core.Ports;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Fly;

// IDeployTarget over the Fly Machines API, one role per runbook step: Deploy's machines, Migrate's exec, Backup's snapshots.
// Singleton: each operation opens a Flurl client on the pooled handler.
public sealed class FlyClient : IDeployTarget
{
    public const string HttpClientName = "Fly";

    private readonly FlyMachines _machines;
    private readonly FlyExec _exec;
    private readonly FlyVolumes _volumes;

    public FlyClient(IHttpClientFactory httpClients, IOptions<FlyOptions> options, TimeProvider time, ILogger<FlyClient> logger)
    {
        var api = new FlyApi(httpClients, options.Value);
        _machines = new FlyMachines(api, time, logger);
        _exec = new FlyExec(api);
        _volumes = new FlyVolumes(api, time);
    }

    public Task<IReadOnlyList<MachineStatus>> ListMachinesAsync(string app, CancellationToken cancellationToken) =>
        _machines.ListMachinesAsync(app, cancellationToken);

    public Task<MachineStatus> DeployAsync(string app, string machineId, string image, TimeSpan timeout, CancellationToken cancellationToken) =>
        _machines.DeployAsync(app, machineId, image, timeout, cancellationToken);

    public Task<ExecResult> ExecAsync(string app, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) =>
        _exec.ExecAsync(app, command, timeout, readOnly: false, cancellationToken);

    public Task<ExecResult> ReadAsync(string app, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) =>
        _exec.ExecAsync(app, command, timeout, readOnly: true, cancellationToken);

    public Task<string> SnapshotVolumeAsync(string app, DateTimeOffset reuseSince, CancellationToken cancellationToken) =>
        _volumes.SnapshotVolumeAsync(app, reuseSince, cancellationToken);
}
