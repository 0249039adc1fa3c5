using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Core.Store;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Durability;

/// <summary>An instance that cannot keep its lease stops its step at once, so two instances never run one step.</summary>
public sealed class LeaseLossTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task When_the_store_refuses_an_instances_renewals_its_deploy_stops_and_the_other_instance_finishes_it_updating_each_machine_once()
    {
        // Slow machines, so the deploy is still running when the renewals start failing.
        await using var pair = await HostPair.CreateAsync(machineDelay: TimeSpan.FromMilliseconds(700));
        var refusing = new RefusingLeases();
        var first = await pair.StartHostAsync(services =>
        {
            var leases = services.Last(d => d.ServiceType == typeof(IReleaseLeases)).ImplementationFactory!;
            services.AddSingleton<IReleaseLeases>(sp => refusing.Around((IReleaseLeases)leases(sp)));
        });
        await HostPair.SayAsync(first, HostPair.Alice, "/release v0.2.0");
        await first.WaitForStepAsync(1, "AwaitApproval", StepStatus.Waiting);
        await HostPair.SayAsync(first, HostPair.Bob, "/approve 1");
        await first.WaitForReleaseAsync(1, "the first machine on v0.2.0", r => r.Outputs.Machines.Any(m => m.After is not null), Limit);

        refusing.Refuse = true;
        await first.WaitUntilAsync("the first instance to stop its deploy", () => refusing.Refused > 0 && first.Get<Core.Runner.ReleaseQueue>() is { } queue && IsIdle(queue), Limit);
        var second = await pair.StartHostAsync();
        var release = await HostPair.DriveToEndAsync(second, 1, Limit);

        Assert.Equal(ReleaseState.Released, release.State);
        Assert.Equal(4, pair.Sandbox.Mutations.Count("fly.update:"));
    }

    [Fact]
    public async Task A_rollback_asked_on_one_instance_stops_a_deploy_running_on_the_other_and_rolls_back_what_moved()
    {
        // Slow machines, so the deploy is still running when the rollback is asked for elsewhere.
        await using var pair = await HostPair.CreateAsync(machineDelay: TimeSpan.FromMilliseconds(700));
        var running = await pair.StartHostAsync();
        await HostPair.SayAsync(running, HostPair.Alice, "/release v0.2.0");
        await running.WaitForStepAsync(1, "AwaitApproval", StepStatus.Waiting);
        var approved = await HostPair.SayAsync(running, HostPair.Bob, "/approve 1");
        Assert.False(approved.IsRefusal, approved.Text);
        await running.WaitForReleaseAsync(1, "the first machine on v0.2.0", r => r.Outputs.Machines.Any(m => m.After is not null), Limit);
        var other = await pair.StartHostAsync();

        var asked = await HostPair.SayAsync(other, HostPair.Alice, "/rollback");
        Assert.False(asked.IsRefusal, asked.Text);
        var confirmed = await HostPair.PressYesAsync(other, HostPair.Alice);

        Assert.False(confirmed.IsRefusal, confirmed.Text);
        var rollback = await other.WaitForStateAsync(2, ReleaseState.RolledBack, Limit);
        var stopped = await other.ReleaseAsync(1);
        Assert.Equal(ReleaseState.Failed, stopped.State);
        Assert.Contains("to roll back", stopped.Error);
        Assert.Equal(1, rollback.RollbackOf);
        foreach (var app in new[] { "myloware-api", "myloware-orchestrator" })
            Assert.All(pair.Sandbox.Fly.Machines(app), m => Assert.EndsWith(":v0.1.0", m.Image));
    }

    private static bool IsIdle(Core.Runner.ReleaseQueue queue) => queue.WhenIdleAsync(CancellationToken.None).IsCompleted;

    /// <summary>The store's leases, until the store starts refusing this instance's renewals (it is unreachable from here).</summary>
    private sealed class RefusingLeases
    {
        private int _refused;

        public volatile bool Refuse;

        public int Refused => Volatile.Read(ref _refused);

        public IReleaseLeases Around(IReleaseLeases real) => new Leases(this, real);

        private sealed class Leases(RefusingLeases owner, IReleaseLeases real) : IReleaseLeases
        {
            public Task<bool> TryClaimAsync(long releaseId, string ownerName, TimeSpan ttl, CancellationToken cancellationToken) =>
                owner.Refuse ? Task.FromResult(false) : real.TryClaimAsync(releaseId, ownerName, ttl, cancellationToken);

            public Task<bool> RenewAsync(long releaseId, string ownerName, TimeSpan ttl, CancellationToken cancellationToken)
            {
                if (!owner.Refuse)
                    return real.RenewAsync(releaseId, ownerName, ttl, cancellationToken);
                Interlocked.Increment(ref owner._refused);
                throw new TimeoutException("the store did not answer");
            }

            public Task ReleaseAsync(long releaseId, string ownerName, CancellationToken cancellationToken) =>
                owner.Refuse ? Task.CompletedTask : real.ReleaseAsync(releaseId, ownerName, cancellationToken);

            public Task<IReadOnlyList<long>> UnclaimedAsync(CancellationToken cancellationToken) =>
                owner.Refuse ? Task.FromResult<IReadOnlyList<long>>([]) : real.UnclaimedAsync(cancellationToken);
        }
    }
}
