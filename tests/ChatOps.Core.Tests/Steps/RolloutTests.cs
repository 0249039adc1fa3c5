using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;
using ChatOps.Testing;

namespace ChatOps.Core.Tests.Steps;

public sealed class RolloutTests
{
    // A guard against a hang, never a measurement: every wait below completes as soon as the rollout gets there.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private readonly HeldFleet _fleet = new("env0-api", "env0-orchestrator");
    private readonly InMemoryStore _store = new(TimeProvider.System);
    private readonly EnvironmentSettings _environment = ShapedSettings.Create(1).Environments["env0"];
    private readonly Release _release = new() { Id = 7, Kind = ReleaseKind.Release, Environment = "env0", Tag = "v2" };
    private int _checkpoints;
    private int _checkpointsAtOnce;
    private bool _overlapped;

    [Fact]
    public async Task Services_deploy_at_the_same_time_while_the_machines_of_one_service_go_one_at_a_time()
    {
        _fleet.Hold = true;
        var deploy = new DeployStep().RunAsync(Context(), CancellationToken.None);

        await _fleet.WhenInFlightAsync(2).WaitAsync(Hang);
        Assert.Equal(["env0-api", "env0-orchestrator"], _fleet.InFlight.Select(f => f.App).Order());
        _fleet.Release();
        var outcome = await deploy.WaitAsync(Hang);

        Assert.Equal(StepResult.Succeeded, outcome.Result);
        Assert.Equal(1, _fleet.MostAtOnceInOneApp);
        Assert.All(_release.Outputs.Machines, m => Assert.Equal(m.App.Replace("env0-", "registry.fly.io/env0-", StringComparison.Ordinal) + ":v2", m.After));
    }

    [Fact]
    public async Task An_in_order_environment_deploys_one_service_after_the_other_in_the_listed_order()
    {
        _environment.Deploy.Order = DeploySettings.InOrder;

        await new DeployStep().RunAsync(Context(), CancellationToken.None).WaitAsync(Hang);

        Assert.Equal(1, _fleet.MostAtOnce);
        Assert.Equal(["env0-api-m1", "env0-api-m2", "env0-orchestrator-m1", "env0-orchestrator-m2"], _fleet.Updates);
    }

    [Fact]
    public async Task An_immediate_rollback_puts_every_machine_of_every_service_back_at_once()
    {
        _environment.Rollback.Strategy = RollbackSettings.Immediate;
        _fleet.Hold = true;
        var rollback = new Release { Id = 8, Kind = ReleaseKind.Rollback, Environment = "env0", Tag = "v1", State = ReleaseState.RollingBack };
        var run = new RollbackSteps().RunAsync(Context(rollback), CancellationToken.None);

        await _fleet.WhenInFlightAsync(4).WaitAsync(Hang);
        _fleet.Release();
        var outcome = await run.WaitAsync(Hang);

        Assert.Equal(StepResult.Succeeded, outcome.Result);
        Assert.Equal(4, _fleet.MostAtOnce);
    }

    [Fact]
    public async Task A_rollback_checks_each_service_as_soon_as_it_is_back_and_a_broken_one_stops_the_others()
    {
        _environment.Deploy.Order = DeploySettings.InOrder;
        var rollback = new Release { Id = 8, Kind = ReleaseKind.Rollback, Environment = "env0", Tag = "v1", State = ReleaseState.RollingBack };
        var probes = new TagProbes("v1") { Broken = { "fake://env0-api/health" } };

        var outcome = await new RollbackSteps().RunAsync(Context(rollback, probes), CancellationToken.None).WaitAsync(Hang);

        Assert.Equal(StepResult.Failed, outcome.Result);
        Assert.Contains("api /health", outcome.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(_fleet.Updates, u => u.StartsWith("env0-orchestrator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_resumed_deploy_leaves_alone_the_machines_it_already_put_on_the_image()
    {
        const string image = "registry.fly.io/env0-api:v2";
        _fleet.SetMachine("env0-api", "env0-api-m1", image);
        _release.Outputs.Machines.Add(new MachineImage { Service = "api", App = "env0-api", MachineId = "env0-api-m1", Before = "old", After = image });

        var outcome = await new DeployStep().RunAsync(Context(), CancellationToken.None).WaitAsync(Hang);

        Assert.Equal("4 machines on v2", outcome.Detail);
        Assert.DoesNotContain("env0-api-m1", _fleet.Updates);
        Assert.Equal("old", _release.Outputs.Machines.Single(m => m.MachineId == "env0-api-m1").Before);
    }

    [Fact]
    public async Task Services_deploying_at_once_never_checkpoint_the_release_at_the_same_time()
    {
        await new DeployStep().RunAsync(Context(), CancellationToken.None).WaitAsync(Hang);

        Assert.False(_overlapped);
        Assert.Equal(8, _checkpoints); // each machine: once seen, once on the image
        Assert.Equal(4, _release.Outputs.Machines.Count);
    }

    [Fact]
    public async Task When_one_service_fails_the_other_stops_before_its_next_machine_and_is_not_recorded_as_deployed()
    {
        _fleet.Failing.Add("env0-api-m1");
        _fleet.Hold = true;
        var apiFailed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var deploy = new DeployStep().RunAsync(Context(details: (text, _, _) =>
        {
            if (text.Contains("env0-api-m1", StringComparison.Ordinal) && text.Contains("failed", StringComparison.Ordinal))
                apiFailed.TrySetResult();
            return Task.CompletedTask;
        }), CancellationToken.None);

        // The orchestrator's first machine is mid-update when the api fails (the rollout has said so); it finishes,
        // and its second never starts.
        await apiFailed.Task.WaitAsync(Hang);
        await _fleet.WhenInFlightAsync(1).WaitAsync(Hang);
        _fleet.Release();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => deploy.WaitAsync(Hang));

        Assert.Contains("env0-api-m1", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("env0-api-m2", _fleet.Updates);
        Assert.Equal(["env0-orchestrator-m1"], _fleet.Updates.Where(u => u.StartsWith("env0-orchestrator", StringComparison.Ordinal)));
        var state = await _store.GetAsync("env0", CancellationToken.None);
        Assert.Empty(state.Services);
    }

    private StepContext Context(Release? release = null, IServiceProbes? probes = null, Func<string, string?, CancellationToken, Task>? details = null) =>
        new(release ?? _release, _environment,
            new ReleasePorts(new FakeSourceControl(ShapedSettings.RequiredChecks), _fleet, new FakeDatabase(TimeProvider.System), probes ?? new TagProbes((release ?? _release).Tag)),
            new RunnerSettings(ShapedSettings.RequiredChecks, "test") { VerifyAttempts = 1, VerifyInterval = TimeSpan.Zero },
            _store, TimeProvider.System, new StepReports(CheckpointAsync, Details: details));

    // Saving the release serializes the whole record: two saves at once would read a list another lane is changing.
    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _checkpointsAtOnce) > 1)
            _overlapped = true;
        _checkpoints++;
        _ = _release.Outputs.Machines.Select(m => m.After).ToList();
        await Task.Yield();
        Interlocked.Decrement(ref _checkpointsAtOnce);
    }

    private sealed class TagProbes(string tag) : IServiceProbes
    {
        public HashSet<string> Broken { get; } = [];

        public Task<ProbeResult> HealthAsync(string url, CancellationToken cancellationToken) =>
            Task.FromResult(Broken.Contains(url) ? new ProbeResult(false, "503", "503 Service Unavailable") : new ProbeResult(true, "ok", "ok"));

        public Task<ProbeResult> VersionAsync(string url, string apiKey, CancellationToken cancellationToken) =>
            Task.FromResult(new ProbeResult(true, tag, tag));

        public Task<SmokeResult> SmokeAsync(SmokeTestSettings test, string apiKey, IReadOnlyDictionary<string, string> captured, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Rollouts run no smoke tests.");

        public Task<ProbeResult> ObserveAsync(ObservabilitySettings settings, DateTimeOffset since, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Rollouts observe nothing.");
    }
}
