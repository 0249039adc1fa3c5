using ChatOps.Core.Commands;
using ChatOps.Core.Releases;
using ChatOps.Core.Steps;
using ChatOps.Testing;

namespace ChatOps.Benchmarks.Throughput;

/// <summary>The real core on a real store with zero-latency ports, and the people on call played by code: release, approve, wait for the end.</summary>
public sealed class ReleaseDriver : IAsyncDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly CoreRig _core;
    private int _tags;

    public ReleaseDriver(BenchStore store, int environments)
    {
        // Commands here carry no chat update id, so the update log is never asked; a collection stands in for it.
        var ports = new StorePorts(store.Releases, store.Approvals, store.Environments, store.Leases, new InMemoryStore(TimeProvider.System));
        _core = new CoreRig(ShapedSettings.Create(environments), TimeProvider.System, ports,
            new RunnerSettings(ShapedSettings.RequiredChecks, "bench") { VerifyAttempts = 1, VerifyInterval = TimeSpan.Zero }, recordCards: false);
    }

    /// <summary>One release from request to Released; returns its id.</summary>
    public async Task<long> ReleaseAsync(string environment, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _tags);
        var tag = $"v2.{n / 1000}.{n % 1000}";
        var started = await _core.Get<ReleaseCommands>().StartReleaseAsync(environment, tag, ShapedSettings.Releaser, SignalSurface.Channel, cancellationToken);
        var id = started.Release?.Id ?? throw new InvalidOperationException($"release refused: {started.Refusal}");
        var signals = _core.Surface.For(id);
        await signals.Gate.Task.WaitAsync(Limit, cancellationToken);
        var decision = await _core.Get<ApprovalCommands>().DecideAsync(id, null, ShapedSettings.Approver, approve: true, cancellationToken);
        if (!decision.Accepted)
            throw new InvalidOperationException($"approval refused: {decision.Message}");
        var end = await signals.Done.Task.WaitAsync(Limit, cancellationToken);
        if (end != ReleaseState.Released)
            throw new InvalidOperationException($"release #{id} ended {end}, not Released");
        _core.Surface.Forget(id);
        return id;
    }

    /// <summary>The last card is shown inside the runner's work, which then gives the lease back: wait for that tail.</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken) => _core.WhenIdleAsync(cancellationToken);

    public ValueTask DisposeAsync() => _core.DisposeAsync();
}
