using ChatOps.Core.Cards;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Core.Steps;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOps.Benchmarks.Throughput;

/// <summary>The real runner on a real store with zero-latency ports, and the people on call played by code: release, approve, wait for the end.</summary>
public sealed class ReleaseDriver : IAsyncDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly SignalSurface _surface = new();
    private readonly ReleaseRunner _runner;
    private int _tags;

    public ReleaseDriver(BenchStore store, int environments)
    {
        var clock = TimeProvider.System;
        var fleet = new FakeFleet();
        var ports = new ReleasePorts(new FakeSourceControl(BenchSettings.RequiredChecks), fleet, new FakeDatabase(clock), fleet);
        var runnerSettings = new RunnerSettings(BenchSettings.RequiredChecks, "bench") { VerifyAttempts = 1, VerifyInterval = TimeSpan.Zero };
        var cards = new CardPublisher([_surface], store.Approvals, clock, NullLogger<CardPublisher>.Instance);
        _runner = new ReleaseRunner(store.Releases, store.Approvals, store.Environments, store.Leases, ports,
            BenchSettings.Create(environments), runnerSettings, cards, clock, NullLogger<ReleaseRunner>.Instance);
    }

    /// <summary>One release from request to Released; returns its id.</summary>
    public async Task<long> ReleaseAsync(string environment, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _tags);
        var tag = $"v2.{n / 1000}.{n % 1000}";
        var started = await _runner.StartReleaseAsync(environment, tag, BenchSettings.Releaser, SignalSurface.Channel, cancellationToken);
        var id = started.Release?.Id ?? throw new InvalidOperationException($"release refused: {started.Refusal}");
        var signals = _surface.For(id);
        await signals.Gate.Task.WaitAsync(Limit, cancellationToken);
        var decision = await _runner.DecideAsync(id, null, BenchSettings.Approver, approve: true, cancellationToken);
        if (!decision.Accepted)
            throw new InvalidOperationException($"approval refused: {decision.Message}");
        var end = await signals.Done.Task.WaitAsync(Limit, cancellationToken);
        if (end != ReleaseState.Released)
            throw new InvalidOperationException($"release #{id} ended {end}, not Released");
        _surface.Forget(id);
        return id;
    }

    /// <summary>The last card is shown inside the runner's work, which then gives the lease back: wait for that tail.</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken) => _runner.WhenIdleAsync(cancellationToken);

    public ValueTask DisposeAsync() => _runner.DisposeAsync();
}
