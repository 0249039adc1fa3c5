using ChatOps.Core.Ports;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Tests;

/// <summary>
/// Fly machines whose updates can be held open, so a test sees which updates run at the same time without
/// measuring time: every update in flight is listed until the test lets them go.
/// </summary>
internal sealed class HeldFleet : IDeployTarget
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<MachineStatus>> _apps = new(StringComparer.Ordinal);
    private readonly List<(string App, string Machine)> _inFlight = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeldFleet(params string[] apps)
    {
        foreach (var app in apps)
            _apps[app] = [Machine($"{app}-m1", "old"), Machine($"{app}-m2", "old")];
    }

    /// <summary>When true, every update that does not fail waits for <see cref="Release"/>.</summary>
    public bool Hold { get; set; }

    /// <summary>Machines whose update fails.</summary>
    public HashSet<string> Failing { get; } = [];

    public List<string> Updates { get; } = [];

    public int MostAtOnce { get; private set; }

    public int MostAtOnceInOneApp { get; private set; }

    public IReadOnlyList<(string App, string Machine)> InFlight
    {
        get
        {
            lock (_gate)
                return [.. _inFlight];
        }
    }

    public void SetMachine(string app, string machine, string image) =>
        _apps[app] = [.. _apps[app].Select(m => m.Id == machine ? Machine(machine, image) : m)];

    public Task WhenInFlightAsync(int count)
    {
        lock (_gate)
        {
            if (_inFlight.Count >= count)
                return Task.CompletedTask;
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task;
        }
    }

    public void Release() => _release.TrySetResult();

    public Task<IReadOnlyList<MachineStatus>> ListMachinesAsync(string app, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<MachineStatus>>([.. _apps[app]]);
    }

    public async Task<MachineStatus> DeployAsync(string app, string machineId, string image, TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Updates.Add(machineId);
            _inFlight.Add((app, machineId));
            MostAtOnce = Math.Max(MostAtOnce, _inFlight.Count);
            MostAtOnceInOneApp = Math.Max(MostAtOnceInOneApp, _inFlight.Count(f => f.App == app));
            foreach (var waiter in _waiters.Where(w => _inFlight.Count >= w.Count))
                waiter.Reached.TrySetResult();
        }
        try
        {
            // Yield so that lanes really interleave even when nothing is held.
            await Task.Yield();
            if (Failing.Contains(machineId))
            {
                // Held, a failure waits until another update is under way, so the test sees what happens to it.
                if (Hold)
                    await WhenInFlightAsync(2).WaitAsync(cancellationToken);
                throw new InvalidOperationException($"machine {machineId} of {app} failed its checks");
            }
            if (Hold)
                await _release.Task.WaitAsync(cancellationToken);
            lock (_gate)
                SetMachine(app, machineId, image);
            return new MachineStatus(machineId, "started", image, Healthy: true);
        }
        finally
        {
            lock (_gate)
                _inFlight.Remove((app, machineId));
        }
    }

    public Task<MigrationMachine> StartMigrationMachineAsync(string app, long releaseId, string image, bool waitStarted, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Rollouts start no migration machines.");

    public Task<ExecResult> ExecAsync(MigrationMachine machine, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Rollouts run no commands.");

    public Task DestroyMigrationMachinesAsync(string app, long releaseId, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Rollouts start no migration machines.");

    public Task<IReadOnlyList<MigrationMachine>> ListMigrationMachinesAsync(string app, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Rollouts start no migration machines.");

    public Task<string> SnapshotVolumeAsync(string app, DateTimeOffset reuseSince, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Rollouts take no snapshots.");

    private static MachineStatus Machine(string id, string image) => new(id, "started", image, Healthy: true);
}
