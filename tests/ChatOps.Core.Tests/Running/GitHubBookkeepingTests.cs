using ChatOps.Core.Chat;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Testing;

namespace ChatOps.Core.Tests.Running;

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
