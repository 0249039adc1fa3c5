using ChatOps.Core.Ports;
using ChatOps.Core.Releases;

namespace ChatOps.IntegrationTests.Store;

public abstract partial class StoreContract
{
    [Fact]
    public async Task A_save_by_an_instance_whose_lease_was_taken_over_is_refused_and_changes_nothing()
    {
        var release = await StartAsync();
        await Store.Leases.TryClaimAsync(release.Id, "host-a", T0, T0 + Lease, None);
        // host-a stalls past its lease; host-b takes the release over and moves it on.
        Assert.True(await Store.Leases.TryClaimAsync(release.Id, "host-b", T0 + Lease, T0 + Lease + Lease, None));
        var moved = (await Store.Releases.GetAsync(release.Id, None))!;
        moved.State = ReleaseState.Tag;
        await Store.Releases.SaveAsync(moved, Audit(moved, "host-b moved on"), "host-b", None);
        var eventsBefore = await Store.Releases.EventsAsync(release.Id, null, 100, None);

        release.State = ReleaseState.Failed;
        var stale = await Assert.ThrowsAsync<LeaseLostException>(() =>
            Store.Releases.SaveAsync(release, Audit(release, "host-a woke up"), "host-a", None));

        Assert.Equal(release.Id, stale.ReleaseId);
        Assert.Equal(ReleaseState.Tag, (await Store.Releases.GetAsync(release.Id, None))!.State);
        Assert.Equal(eventsBefore.Count, (await Store.Releases.EventsAsync(release.Id, null, 100, None)).Count);
        Assert.Single(await Store.Releases.ListAsync(Env, activeOnly: true, limit: 10, None));
    }

    [Fact]
    public async Task A_save_without_any_lease_is_refused()
    {
        var release = await StartAsync();
        release.State = ReleaseState.Cancelled;

        await Assert.ThrowsAsync<LeaseLostException>(() => Store.Releases.SaveAsync(release, null, "host-a", None));

        Assert.Equal(ReleaseState.Requested, (await Store.Releases.GetAsync(release.Id, None))!.State);
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

    [Fact]
    public async Task A_cancel_request_shows_in_the_loaded_release_until_cleared_and_no_save_erases_it()
    {
        var release = await StartAsync();
        await Store.Releases.RequestCancelAsync(new AuditEvent(release.Id, Env, "alice", "cancel-requested", "Backup", null, "asked", T0), None);
        await Store.Releases.RequestCancelAsync(new AuditEvent(release.Id, Env, "bob", "cancel-requested", "Backup", null, "asked", T0), None);
        // The runner saving the record it loaded before the request does not erase the request.
        release.State = ReleaseState.Backup;
        await SaveAsync(release);

        Assert.Equal("alice", (await Store.Releases.GetAsync(release.Id, None))!.CancelRequestedBy);
        await Store.Releases.ClearCancelRequestAsync(release.Id, None);
        Assert.Null((await Store.Releases.GetAsync(release.Id, None))!.CancelRequestedBy);
        Assert.Equal(2, (await Store.Releases.EventsAsync(release.Id, null, 100, None)).Count(e => e.Action == "cancel-requested"));
    }

    private static AuditEvent Audit(Release release, string detail) =>
        new(release.Id, release.Environment, "chatops:runner", "test", null, release.State.ToString(), detail, release.UpdatedAt);
}
