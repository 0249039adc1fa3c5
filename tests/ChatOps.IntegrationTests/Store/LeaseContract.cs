using ChatOps.Core.Releases;

namespace ChatOps.IntegrationTests.Store;

/// <summary>
/// Leases run on the database's clock: callers pass how long, never when. An expired lease is made by claiming one
/// whose time-to-live is already over (<see cref="StoreContract.Expired"/>), so no test waits or depends on a clock.
/// </summary>
public abstract class LeaseContract(ITestStore stores) : StoreContract(stores)
{
    private static readonly TimeSpan Live = TimeSpan.FromHours(1);

    [Fact]
    public async Task A_free_release_is_claimed_and_renewed_by_its_owner()
    {
        var release = await StartAsync();

        Assert.True(await Store.Leases.TryClaimAsync(release.Id, "host-a", Expired, None));
        // Claimed again by its owner, the lease is live once more and refuses another owner.
        Assert.True(await Store.Leases.TryClaimAsync(release.Id, "host-a", Live, None));
        Assert.False(await Store.Leases.TryClaimAsync(release.Id, "host-b", Live, None));
    }

    [Fact]
    public async Task A_live_lease_refuses_another_owner_and_an_expired_one_is_taken_over()
    {
        var release = await StartAsync();
        await Store.Leases.TryClaimAsync(release.Id, "host-a", Live, None);
        Assert.False(await Store.Leases.TryClaimAsync(release.Id, "host-b", Live, None));

        await Store.Leases.TryClaimAsync(release.Id, "host-a", Expired, None);
        Assert.True(await Store.Leases.TryClaimAsync(release.Id, "host-b", Live, None));
        Assert.False(await Store.Leases.TryClaimAsync(release.Id, "host-a", Live, None));
    }

    [Fact]
    public async Task A_live_lease_cannot_be_taken_whatever_the_claimants_clock_says()
    {
        // Before leases ran on the database's clock, a claimant whose clock ran a minute fast saw this lease as expired.
        var release = await StartAsync();
        await Store.Leases.TryClaimAsync(release.Id, "host-a", Lease, None);

        Assert.False(await Store.Leases.TryClaimAsync(release.Id, "host-fast-clock", Lease, None));
        Assert.DoesNotContain(release.Id, await Store.Leases.UnclaimedAsync(None));
    }

    [Fact]
    public async Task A_released_lease_is_free_at_once_but_only_its_owner_can_release_it()
    {
        var release = await StartAsync();
        await Store.Leases.TryClaimAsync(release.Id, "host-a", Live, None);

        await Store.Leases.ReleaseAsync(release.Id, "host-b", None);
        Assert.False(await Store.Leases.TryClaimAsync(release.Id, "host-b", Live, None));

        await Store.Leases.ReleaseAsync(release.Id, "host-a", None);
        Assert.True(await Store.Leases.TryClaimAsync(release.Id, "host-b", Live, None));
    }

    [Fact]
    public async Task An_unknown_release_cannot_be_claimed()
    {
        Assert.False(await Store.Leases.TryClaimAsync(long.MaxValue, "host-a", Live, None));
    }

    [Fact]
    public async Task Concurrent_claims_of_one_release_let_exactly_one_owner_win()
    {
        var release = await StartAsync();
        var hosts = await HostsAsync();

        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            hosts[i % hosts.Length].Leases.TryClaimAsync(release.Id, $"host-{i}", Live, None))));

        Assert.Single(claims, claimed => claimed);
    }

    [Fact]
    public async Task Unclaimed_lists_the_active_releases_whose_lease_is_free_or_expired()
    {
        var unleased = await StartAsync(Env + "-a");
        var live = await StartAsync(Env + "-b");
        var expired = await StartAsync(Env + "-c");
        var released = await StartAsync(Env + "-d");
        var ended = await StartAsync(Env + "-e");
        await Store.Leases.TryClaimAsync(live.Id, "host-a", Live, None);
        await Store.Leases.TryClaimAsync(expired.Id, "host-a", Expired, None);
        await Store.Leases.TryClaimAsync(released.Id, "host-a", Live, None);
        await Store.Leases.ReleaseAsync(released.Id, "host-a", None);
        await EndAsync(ended, ReleaseState.Failed);

        var unclaimed = await Store.Leases.UnclaimedAsync(None);

        // Other tests' releases may share the database; only this test's releases are judged.
        var mine = new[] { unleased.Id, live.Id, expired.Id, released.Id, ended.Id };
        Assert.Equal([unleased.Id, expired.Id, released.Id], unclaimed.Where(mine.Contains));
    }

    [Fact]
    public async Task A_lease_is_renewed_only_while_its_owner_still_holds_it()
    {
        var release = await StartAsync();
        await Store.Leases.TryClaimAsync(release.Id, "host-a", Expired, None);
        Assert.True(await Store.Leases.RenewAsync(release.Id, "host-a", Live, None));
        Assert.False(await Store.Leases.TryClaimAsync(release.Id, "host-b", Live, None));

        await Store.Leases.RenewAsync(release.Id, "host-a", Expired, None);
        Assert.True(await Store.Leases.TryClaimAsync(release.Id, "host-b", Live, None));
        Assert.False(await Store.Leases.RenewAsync(release.Id, "host-a", Live, None));

        // Given back by host-b, the lease is free to claim, but a renewal by the stalled host-a does not win it back.
        await Store.Leases.ReleaseAsync(release.Id, "host-b", None);
        Assert.False(await Store.Leases.RenewAsync(release.Id, "host-a", Live, None));
        Assert.True(await Store.Leases.TryClaimAsync(release.Id, "host-c", Live, None));
    }
}
