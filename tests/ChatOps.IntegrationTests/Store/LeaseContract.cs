using ChatOps.Core.Releases;

namespace ChatOps.IntegrationTests.Store;

public abstract class LeaseContract(ITestStore stores) : StoreContract(stores)
{
    [Fact]
    public async Task A_free_release_is_claimed_and_renewed_by_its_owner()
    {
        var release = await StartAsync();

        Assert.True(await Store.Leases.TryClaimAsync(release.Id, "host-a", T0, T0 + Lease, None));
        Assert.True(await Store.Leases.TryClaimAsync(release.Id, "host-a", T0.AddSeconds(20), T0.AddSeconds(20) + Lease, None));
        // Renewed: at 40 s the first lease would have ended, the renewed one has not.
        Assert.False(await Store.Leases.TryClaimAsync(release.Id, "host-b", T0.AddSeconds(40), T0.AddSeconds(40) + Lease, None));
    }

    [Fact]
    public async Task A_live_lease_refuses_another_owner_and_an_expired_one_is_taken_over()
    {
        var release = await StartAsync();
        await Store.Leases.TryClaimAsync(release.Id, "host-a", T0, T0 + Lease, None);

        Assert.False(await Store.Leases.TryClaimAsync(release.Id, "host-b", T0.AddSeconds(29), T0.AddSeconds(29) + Lease, None));
        Assert.True(await Store.Leases.TryClaimAsync(release.Id, "host-b", T0.AddSeconds(30), T0.AddSeconds(30) + Lease, None));
        Assert.False(await Store.Leases.TryClaimAsync(release.Id, "host-a", T0.AddSeconds(31), T0.AddSeconds(31) + Lease, None));
    }

    [Fact]
    public async Task A_released_lease_is_free_at_once_but_only_its_owner_can_release_it()
    {
        var release = await StartAsync();
        await Store.Leases.TryClaimAsync(release.Id, "host-a", T0, T0 + Lease, None);

        await Store.Leases.ReleaseAsync(release.Id, "host-b", None);
        Assert.False(await Store.Leases.TryClaimAsync(release.Id, "host-b", T0.AddSeconds(1), T0.AddSeconds(1) + Lease, None));

        await Store.Leases.ReleaseAsync(release.Id, "host-a", None);
        Assert.True(await Store.Leases.TryClaimAsync(release.Id, "host-b", T0.AddSeconds(2), T0.AddSeconds(2) + Lease, None));
    }

    [Fact]
    public async Task An_unknown_release_cannot_be_claimed()
    {
        Assert.False(await Store.Leases.TryClaimAsync(long.MaxValue, "host-a", T0, T0 + Lease, None));
    }

    [Fact]
    public async Task Concurrent_claims_of_one_release_let_exactly_one_owner_win()
    {
        var release = await StartAsync();
        var hosts = await HostsAsync();

        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            hosts[i % hosts.Length].Leases.TryClaimAsync(release.Id, $"host-{i}", T0, T0 + Lease, None))));

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
        var now = T0.AddMinutes(10);
        await Store.Leases.TryClaimAsync(live.Id, "host-a", now.AddSeconds(-5), now.AddSeconds(25), None);
        await Store.Leases.TryClaimAsync(expired.Id, "host-a", now.AddMinutes(-1), now.AddSeconds(-30), None);
        await Store.Leases.TryClaimAsync(released.Id, "host-a", now, now.AddSeconds(30), None);
        await Store.Leases.ReleaseAsync(released.Id, "host-a", None);
        await EndAsync(ended, ReleaseState.Failed);

        var unclaimed = await Store.Leases.UnclaimedAsync(now, None);

        // Other tests' releases may share the database; only this test's releases are judged.
        var mine = new[] { unleased.Id, live.Id, expired.Id, released.Id, ended.Id };
        Assert.Equal([unleased.Id, expired.Id, released.Id], unclaimed.Where(mine.Contains));
    }

    [Fact]
    public async Task A_lease_is_renewed_only_while_its_owner_still_holds_it()
    {
        var release = await StartAsync();
        await Store.Leases.TryClaimAsync(release.Id, "host-a", T0, T0 + Lease, None);
        Assert.True(await Store.Leases.RenewAsync(release.Id, "host-a", T0.AddSeconds(50), None));

        Assert.True(await Store.Leases.TryClaimAsync(release.Id, "host-b", T0.AddSeconds(50), T0.AddSeconds(80), None));
        Assert.False(await Store.Leases.RenewAsync(release.Id, "host-a", T0.AddSeconds(90), None));

        // Given back by host-b, the lease is free to claim, but a renewal by the stalled host-a does not win it back.
        await Store.Leases.ReleaseAsync(release.Id, "host-b", None);
        Assert.False(await Store.Leases.RenewAsync(release.Id, "host-a", T0.AddSeconds(90), None));
        Assert.True(await Store.Leases.TryClaimAsync(release.Id, "host-c", T0.AddSeconds(60), T0.AddSeconds(90), None));
    }
}
