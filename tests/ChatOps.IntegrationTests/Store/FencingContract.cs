using ChatOps.Core.Releases;
using ChatOps.Core.Store;

namespace ChatOps.IntegrationTests.Store;

public abstract class FencingContract(ITestStore stores) : StoreContract(stores)
{
    private static AuditEvent Audit(Release release, string detail) =>
        new(release.Id, release.Environment, "chatops:runner", "test", null, release.State.ToString(), detail, release.UpdatedAt);

    [Fact]
    public async Task A_save_by_an_instance_whose_lease_was_taken_over_is_refused_and_changes_nothing()
    {
        var release = await StartAsync();
        // host-a stalls past its lease (a claim that has already run out); host-b takes the release over and moves it on.
        await Store.Leases.TryClaimAsync(release.Id, "host-a", Expired, None);
        Assert.True(await Store.Leases.TryClaimAsync(release.Id, "host-b", Lease, None));
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
}
