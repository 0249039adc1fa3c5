using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Testing;

namespace ChatOps.Core.Tests.Runner;

/// <summary>The GitHub deployment is bookkeeping: it is written alongside the work, never in front of it.</summary>
public sealed class DeploymentRecordTests : CoreScenario
{
    private readonly SlowDeployments _deployments;

    public DeploymentRecordTests()
    {
        _deployments = new SlowDeployments(async id => (await ReleaseAsync(id)).Steps.Any(s => s.Status == StepStatus.Running));
        DeploymentRecords = _deployments;
    }

    [Fact]
    public async Task Recording_the_deployment_does_not_hold_back_the_step_that_changes_the_environment()
    {
        await SayAsync(Alice, "/release v1.1.0");

        await SayAsync(Bob, "/approve 1");

        var release = await ReleaseAsync(1);
        Assert.Equal(ReleaseState.Released, release.State);
        // The record was only created once the step was saved running: it was written alongside the step.
        Assert.NotNull(release.Outputs.Deployment);
        Assert.Equal(DeploymentLog.Success, release.Outputs.Deployment.State);
        Assert.Equal(["in_progress", "success"], _deployments.States);
    }

    [Fact]
    public async Task A_rollback_is_recorded_as_a_deployment_that_ends_in_success()
    {
        await SayAsync(Alice, "/release v1.1.0");
        await SayAsync(Bob, "/approve 1");

        await SayConfirmedAsync(Alice, "/rollback");

        var rollback = await ReleaseAsync(2);
        Assert.Equal(ReleaseState.RolledBack, rollback.State);
        Assert.Equal(DeploymentLog.Success, rollback.Outputs.Deployment?.State);
    }

    /// <summary>
    /// Creating a deployment answers only once its release's step is saved running, and gives up after a while: a
    /// runner that waited for the record before starting the step would never see that and end up with no deployment.
    /// </summary>
    private sealed class SlowDeployments(Func<long, Task<bool>> stepRunning) : IDeploymentRecords
    {
        private readonly List<string> _states = [];

        public IReadOnlyList<string> States
        {
            get
            {
                lock (_states)
                    return [.. _states];
            }
        }

        public async Task<long> EnsureAsync(DeploymentRequest request, CancellationToken cancellationToken)
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            patience.CancelAfter(TimeSpan.FromSeconds(30));
            while (!await stepRunning(request.ReleaseId))
                await Task.Delay(TimeSpan.FromMilliseconds(10), patience.Token);
            return request.ReleaseId;
        }

        public Task SetStateAsync(long deploymentId, string state, string description, string? environmentUrl, CancellationToken cancellationToken)
        {
            lock (_states)
            {
                if (deploymentId == 1)
                    _states.Add(state);
            }
            return Task.CompletedTask;
        }
    }
}
