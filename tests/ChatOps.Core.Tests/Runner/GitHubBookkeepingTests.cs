using ChatOps.Core.Cards;
using ChatOps.Core.Chat;
using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;
using ChatOps.Testing;

namespace ChatOps.Core.Tests.Runner;

/// <summary>A GitHub that answers slowly or not at all never keeps a release or a rollback from ending.</summary>
public sealed class GitHubBookkeepingTests : CoreScenario
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly HeldDeployments _deployments = new();

    public GitHubBookkeepingTests() => DeploymentRecords = _deployments;

    // A test that fails while a status is held lets it go, so the core stops at once.
    public override async Task DisposeAsync()
    {
        _deployments.Let();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_release_is_released_and_its_environment_free_while_github_still_holds_its_deployment_status()
    {
        await SayAsync(Alice, "/release v1.1.0");
        _deployments.Hold(DeploymentLog.Success);

        await Core.Bot.HandleAsync(new IncomingMessage(Bob, SignalSurface.Channel, "/approve 1"), CancellationToken.None);
        await _deployments.Held.WaitAsync(Patience);

        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(1)).State);
        var next = await Core.Bot.HandleAsync(new IncomingMessage(Alice, SignalSurface.Channel, "/release v1.2.0"), CancellationToken.None);
        Assert.False(next.IsRefusal, next.Text);
        _deployments.Let();
        await Core.WhenIdleAsync();
        Assert.Equal(DeploymentLog.Success, (await ReleaseAsync(1)).Outputs.Deployment?.State);
    }

    [Fact]
    public async Task A_rollback_is_rolled_back_while_github_still_holds_its_deployment_status()
    {
        await SayAsync(Alice, "/release v1.1.0");
        await SayAsync(Bob, "/approve 1");
        _deployments.Hold(DeploymentLog.Success);

        await SayAsync(Alice, "/rollback");
        var yes = Core.Surface.Notices.Last(n => n.Buttons.Count > 0).Buttons.Single();
        await Core.Bot.PressAsync(new ButtonPress(Alice, SignalSurface.Channel, yes.Token), CancellationToken.None);
        await _deployments.Held.WaitAsync(Patience);

        Assert.Equal(ReleaseState.RolledBack, (await ReleaseAsync(2)).State);
        _deployments.Let();
        await Core.WhenIdleAsync();
    }

    [Fact]
    public async Task A_rollback_asked_while_github_still_holds_the_releases_last_status_starts_at_once()
    {
        await SayAsync(Alice, "/release v1.0.1");
        await SayAsync(Bob, "/approve 1");
        await SayAsync(Alice, "/release v1.1.0");
        _deployments.Hold(DeploymentLog.Success);
        await Core.Bot.HandleAsync(new IncomingMessage(Bob, SignalSurface.Channel, "/approve 2"), CancellationToken.None);
        await _deployments.Held.WaitAsync(Patience);

        await Core.Bot.HandleAsync(new IncomingMessage(Alice, SignalSurface.Channel, "/rollback"), CancellationToken.None);
        var yes = Core.Surface.Notices.Last(n => n.Buttons.Count > 0).Buttons.Single();
        var started = await Core.Bot.PressAsync(new ButtonPress(Alice, SignalSurface.Channel, yes.Token), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(started.IsRefusal, started.Text);
        Assert.Contains("Rollback #3", started.Text, StringComparison.Ordinal);
        _deployments.Let();
        await Core.WhenIdleAsync();
        Assert.Equal(ReleaseState.RolledBack, (await ReleaseAsync(3)).State);
        Assert.Equal(3, (await ReleaseAsync(2)).Outputs.RollbackReleaseId);
    }

    [Fact]
    public async Task A_github_that_refuses_deployments_costs_one_attempt_and_one_note_per_release()
    {
        var down = new DownDeployments();
        await using var core = new CoreRig(Settings(), Clock, deploymentRecords: down);

        await SayOnAsync(core, Alice, "/release v1.1.0");
        await SayOnAsync(core, Bob, "/approve 1");

        var release = (await core.Store.Releases.GetAsync(1, CancellationToken.None))!;
        Assert.Equal(ReleaseState.Released, release.State);
        Assert.Equal(1, down.Creates);
        Assert.Single(release.Outputs.Notes, n => n.StartsWith("GitHub deployment", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deployment_create_that_never_answers_is_given_up_after_its_bound_and_the_release_goes_on()
    {
        var down = new DownDeployments { Hangs = true };
        var runner = new RunnerSettings(ShapedSettings.RequiredChecks, "test")
        {
            VerifyAttempts = 1,
            VerifyInterval = TimeSpan.Zero,
            DeploymentRecordTimeout = TimeSpan.FromMilliseconds(200),
        };
        await using var core = new CoreRig(Settings(), Clock, runnerSettings: runner, deploymentRecords: down);

        await SayOnAsync(core, Alice, "/release v1.1.0");
        await SayOnAsync(core, Bob, "/approve 1").WaitAsync(Patience);

        var release = (await core.Store.Releases.GetAsync(1, CancellationToken.None))!;
        Assert.Equal(ReleaseState.Released, release.State);
        Assert.Equal(1, down.Creates);
        Assert.Single(release.Outputs.Notes, n => n.StartsWith("GitHub deployment", StringComparison.Ordinal));
    }

    private ChatOps.Core.Settings.ChatOpsSettings Settings()
    {
        var settings = ShapedSettings.Create(1);
        Configure(settings);
        return settings;
    }

    private static async Task SayOnAsync(CoreRig core, ChatOps.Core.Domain.ChatUser user, string text)
    {
        await core.Bot.HandleAsync(new IncomingMessage(user, SignalSurface.Channel, text), CancellationToken.None);
        await core.WhenIdleAsync();
    }

    /// <summary>GitHub's deployments while GitHub is down: every create fails, or hangs until given up.</summary>
    private sealed class DownDeployments : IDeploymentRecords
    {
        private int _creates;

        public bool Hangs { get; init; }

        public int Creates => _creates;

        public async Task<long> EnsureAsync(DeploymentRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _creates);
            if (Hangs)
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new TimeoutException("GitHub did not answer POST /deployments: no answer in time");
        }

        public Task SetStateAsync(long deploymentId, string state, string description, string? environmentUrl, CancellationToken cancellationToken) =>
            throw new TimeoutException("GitHub did not answer POST /deployments/statuses: no answer in time");
    }

    /// <summary>GitHub's deployments, holding the first status of a given state until the test lets it through.</summary>
    private sealed class HeldDeployments : IDeploymentRecords
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _let = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string? _hold;

        public Task Held => _held.Task;

        public void Hold(string state) => _hold = state;

        public void Let() => _let.TrySetResult();

        public Task<long> EnsureAsync(DeploymentRequest request, CancellationToken cancellationToken) => Task.FromResult(request.ReleaseId);

        public async Task SetStateAsync(long deploymentId, string state, string description, string? environmentUrl, CancellationToken cancellationToken)
        {
            if (state != _hold)
                return;
            _held.TrySetResult();
            await _let.Task.WaitAsync(cancellationToken);
        }
    }
}
