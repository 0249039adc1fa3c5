using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Core.Steps;
using ChatOps.Core.Store;
using ChatOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Core.Tests.Runner;

public sealed class LeaseKeeperTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
    private readonly InMemoryStore _store;
    private readonly FlakyLeases _leases;
    private readonly LeaseKeeper _keeper;

    public LeaseKeeperTests()
    {
        _store = new InMemoryStore(_clock);
        _leases = new FlakyLeases(_store);
        _keeper = new LeaseKeeper(_leases, new RunnerSettings([], "test") { LeaseTtl = Ttl, Owner = "here" }, _clock, NullLogger<LeaseKeeper>.Instance);
    }

    private async Task<long> SeedAsync(string environment = "production")
    {
        var release = new Release { Environment = environment, Tag = "v1", Requester = "test:alice" };
        var started = await _store.TryStartAsync(release, new AuditEvent(null, environment, "test:alice", "request", null, null, "", _clock.GetUtcNow()), CancellationToken.None);
        return started.Started!.Id;
    }

    [Fact]
    public async Task An_instance_whose_clock_runs_an_hour_fast_cannot_take_a_lease_another_instance_holds()
    {
        var id = await SeedAsync();
        var fastClock = new FakeTimeProvider(_clock.GetUtcNow().AddHours(1));
        var fast = new LeaseKeeper(_store, new RunnerSettings([], "test") { LeaseTtl = Ttl, Owner = "fast" }, fastClock, NullLogger<LeaseKeeper>.Instance);
        var held = new TaskCompletionSource();
        var release = new TaskCompletionSource<int>();
        var work = _keeper.HoldAsync(id, async _ =>
        {
            held.SetResult();
            return await release.Task;
        }, CancellationToken.None);
        await held.Task;

        await Assert.ThrowsAsync<LeaseHeldException>(() => fast.HoldAsync(id, _ => Task.FromResult(0), CancellationToken.None));
        Assert.DoesNotContain(id, await fast.UnclaimedAsync(CancellationToken.None));

        release.SetResult(0);
        await work;
    }

    [Fact]
    public async Task Work_stops_at_once_when_another_instance_has_the_lease()
    {
        var id = await SeedAsync();
        var started = new TaskCompletionSource();
        var work = _keeper.HoldAsync(id, async token =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return 0;
        }, CancellationToken.None);
        await started.Task;

        // As when this instance stalled past its lease and another one took the release over.
        await _store.ReleaseAsync(id, "here", CancellationToken.None);
        Assert.True(await _store.TryClaimAsync(id, "there", Ttl, CancellationToken.None));
        await AdvanceUntilDoneAsync(work);

        await Assert.ThrowsAsync<LeaseLostException>(() => work);
    }

    [Fact]
    public async Task A_renewal_that_fails_once_is_tried_again_and_the_work_goes_on()
    {
        var id = await SeedAsync();
        _leases.FailNextRenewals = 1;
        var release = new TaskCompletionSource();
        var work = _keeper.HoldAsync(id, async token =>
        {
            await release.Task.WaitAsync(token);
            return 42;
        }, CancellationToken.None);

        for (var i = 0; i < 6; i++)
            await AdvanceAsync(Ttl / 10);
        release.SetResult();

        Assert.Equal(42, await work);
        Assert.True(_leases.Renewals >= 2);
    }

    [Fact]
    public async Task Work_stops_before_the_lease_runs_out_when_no_renewal_gets_through()
    {
        var id = await SeedAsync();
        _leases.FailNextRenewals = int.MaxValue;
        var work = _keeper.HoldAsync(id, async token =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return 0;
        }, CancellationToken.None);

        await AdvanceUntilDoneAsync(work);

        await Assert.ThrowsAsync<LeaseLostException>(() => work);
        Assert.True(_clock.GetUtcNow() - new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero) < Ttl);
    }

    [Fact]
    public async Task A_renewal_that_hangs_is_cut_off_by_its_own_deadline_and_the_work_stops_before_the_lease_runs_out()
    {
        var id = await SeedAsync();
        var leases = new HangingLeases(_store);
        var keeper = new LeaseKeeper(leases, new RunnerSettings([], "test") { LeaseTtl = Ttl, Owner = "here" }, _clock, NullLogger<LeaseKeeper>.Instance);
        var expiry = _clock.GetUtcNow() + Ttl;
        var started = new TaskCompletionSource();
        var work = keeper.HoldAsync(id, async token =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return 0;
        }, CancellationToken.None);
        await started.Task;

        _clock.Advance(Ttl / 3);
        await leases.Called.Task;
        // Up to a second before the lease runs out in the store, when another instance may take the release over.
        _clock.Advance(expiry - _clock.GetUtcNow() - TimeSpan.FromSeconds(1));

        // Only a safety net for the code before the fix, whose hanging renewal held the work up for ever.
        await Assert.ThrowsAsync<LeaseLostException>(() => work.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(_clock.GetUtcNow() < expiry);
        Assert.True(leases.CutOff >= 1);
    }

    [Fact]
    public async Task A_second_holder_on_this_instance_is_told_the_release_is_busy()
    {
        var id = await SeedAsync();
        var inside = new TaskCompletionSource();
        var leave = new TaskCompletionSource();
        var first = _keeper.HoldAsync(id, async _ =>
        {
            inside.SetResult();
            await leave.Task;
            return 0;
        }, CancellationToken.None);
        await inside.Task;

        await Assert.ThrowsAsync<LeaseHeldException>(() => _keeper.HoldAsync(id, _ => Task.FromResult(0), CancellationToken.None, busyAfter: TimeSpan.Zero));
        leave.SetResult();
        await first;
    }

    [Fact]
    public async Task The_per_release_locks_are_dropped_once_the_work_on_them_ended()
    {
        var ids = new List<long>();
        for (var i = 0; i < 20; i++)
            ids.Add(await SeedAsync($"env{i}"));
        var inside = new TaskCompletionSource();
        var leave = new TaskCompletionSource();
        var held = _keeper.HoldAsync(ids[0], async _ =>
        {
            inside.SetResult();
            await leave.Task;
            return 0;
        }, CancellationToken.None);
        await inside.Task;

        await Task.WhenAll(ids.Skip(1).Select(id => _keeper.HoldAsync(id, _ => Task.FromResult(0), CancellationToken.None)));

        Assert.Equal(1, _keeper.Locks);
        leave.SetResult();
        await held;
        Assert.Equal(0, _keeper.Locks);
    }

    private async Task AdvanceAsync(TimeSpan by)
    {
        _clock.Advance(by);
        await Task.Delay(20);
    }

    private async Task AdvanceUntilDoneAsync(Task work)
    {
        for (var i = 0; i < 40 && !work.IsCompleted; i++)
            await AdvanceAsync(TimeSpan.FromSeconds(1));
    }

    /// <summary>The store's leases, with renewals that never answer, as on a connection whose peer went away.</summary>
    private sealed class HangingLeases(IReleaseLeases inner) : IReleaseLeases
    {
        private int _cutOff;

        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int CutOff => Volatile.Read(ref _cutOff);

        public Task<bool> TryClaimAsync(long releaseId, string owner, TimeSpan ttl, CancellationToken cancellationToken) =>
            inner.TryClaimAsync(releaseId, owner, ttl, cancellationToken);

        public async Task<bool> RenewAsync(long releaseId, string owner, TimeSpan ttl, CancellationToken cancellationToken)
        {
            Called.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                Interlocked.Increment(ref _cutOff);
            }
            return true;
        }

        public Task ReleaseAsync(long releaseId, string owner, CancellationToken cancellationToken) => inner.ReleaseAsync(releaseId, owner, cancellationToken);

        public Task<IReadOnlyList<long>> UnclaimedAsync(CancellationToken cancellationToken) => inner.UnclaimedAsync(cancellationToken);
    }

    /// <summary>The store's leases, with renewals that fail on demand as when the database is briefly away.</summary>
    private sealed class FlakyLeases(IReleaseLeases inner) : IReleaseLeases
    {
        public int FailNextRenewals { get; set; }

        public int Renewals { get; private set; }

        public Task<bool> TryClaimAsync(long releaseId, string owner, TimeSpan ttl, CancellationToken cancellationToken) =>
            inner.TryClaimAsync(releaseId, owner, ttl, cancellationToken);

        public Task<bool> RenewAsync(long releaseId, string owner, TimeSpan ttl, CancellationToken cancellationToken)
        {
            Renewals++;
            if (FailNextRenewals-- > 0)
                throw new TimeoutException("the store did not answer");
            return inner.RenewAsync(releaseId, owner, ttl, cancellationToken);
        }

        public Task ReleaseAsync(long releaseId, string owner, CancellationToken cancellationToken) => inner.ReleaseAsync(releaseId, owner, cancellationToken);

        public Task<IReadOnlyList<long>> UnclaimedAsync(CancellationToken cancellationToken) => inner.UnclaimedAsync(cancellationToken);
    }
}
