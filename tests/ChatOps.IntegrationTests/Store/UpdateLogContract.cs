using ChatOps.Core.Releases;
using ChatOps.Core.Store;

namespace ChatOps.IntegrationTests.Store;

public abstract class UpdateLogContract(ITestStore stores) : StoreContract(stores)
{
    [Fact]
    public async Task An_update_is_processed_only_the_first_time_per_platform()
    {
        var id = Guid.NewGuid().ToString("N");

        Assert.True(await Store.Updates.TryMarkProcessedAsync("telegram", id, None));
        Assert.False(await Store.Updates.TryMarkProcessedAsync("telegram", id, None));
        Assert.True(await Store.Updates.TryMarkProcessedAsync("slack", id, None));
    }

    [Fact]
    public async Task The_last_handled_update_is_known_per_platform_and_none_is_null()
    {
        var platform = $"p-{Guid.NewGuid():N}";
        Assert.Null(await Store.Updates.LastHandledAsync(platform, None));

        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        await Store.Updates.TryMarkProcessedAsync(platform, "1", None);

        Assert.True(await Store.Updates.LastHandledAsync(platform, None) > before);
        Assert.Null(await Store.Updates.LastHandledAsync(platform + "-other", None));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_update_are_processed_once()
    {
        var id = Guid.NewGuid().ToString("N");
        var hosts = await HostsAsync();

        var firsts = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            hosts[i % hosts.Length].Updates.TryMarkProcessedAsync("telegram", id, None))));

        Assert.Single(firsts, first => first);
    }

    [Fact]
    public async Task The_first_change_a_chat_update_causes_records_the_update_with_it()
    {
        var id = Guid.NewGuid().ToString("N");
        Assert.False(await Store.Updates.IsProcessedAsync("telegram", id, None));

        using (var receipt = UpdateReceipt.Begin("telegram", id))
        {
            await StartAsync();
            Assert.True(receipt.IsRecorded);
            // Later changes of the same command do not write the id again.
            await Store.Releases.AppendAsync(new AuditEvent(null, Env, "alice", "lock", null, null, "second change", T0), None);
        }

        Assert.True(await Store.Updates.IsProcessedAsync("telegram", id, None));
        Assert.False(await Store.Updates.TryMarkProcessedAsync("telegram", id, None));
        Assert.False(await Store.Updates.IsProcessedAsync("slack", id, None));
    }

    [Fact]
    public async Task A_change_for_an_update_already_handled_is_rolled_back_whole()
    {
        var id = Guid.NewGuid().ToString("N");
        await Store.Updates.TryMarkProcessedAsync("telegram", id, None);

        using (UpdateReceipt.Begin("telegram", id))
            await Assert.ThrowsAsync<DuplicateUpdateException>(() => StartAsync());

        Assert.Empty(await Store.Releases.ListAsync(Env, activeOnly: false, limit: 10, None));
        Assert.Empty(await Store.Releases.EventsAsync(null, Env, 10, None));
    }

    [Fact]
    public async Task A_change_that_fails_leaves_its_update_free_for_the_redelivery()
    {
        var release = await StartAsync();
        var id = Guid.NewGuid().ToString("N");

        using (var receipt = UpdateReceipt.Begin("slack", id))
        {
            release.State = ReleaseState.Cancelled;
            await Assert.ThrowsAsync<LeaseLostException>(() => Store.Releases.SaveAsync(release, null, "host-without-lease", None));
            Assert.False(receipt.IsRecorded);
        }

        Assert.False(await Store.Updates.IsProcessedAsync("slack", id, None));
    }

    [Fact]
    public async Task Lease_bookkeeping_does_not_count_as_the_change_an_update_causes()
    {
        var release = await StartAsync();
        var id = Guid.NewGuid().ToString("N");

        using (var receipt = UpdateReceipt.Begin("telegram", id))
        {
            await Store.Leases.TryClaimAsync(release.Id, "host-a", Lease, None);
            await Store.Leases.ReleaseAsync(release.Id, "host-a", None);
            Assert.False(receipt.IsRecorded);
        }

        Assert.False(await Store.Updates.IsProcessedAsync("telegram", id, None));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_update_make_exactly_one_change()
    {
        var id = Guid.NewGuid().ToString("N");
        var hosts = await HostsAsync();

        // Each delivery would start a release in an environment of its own; only the one that records the update may.
        var started = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            using var receipt = UpdateReceipt.Begin("telegram", id);
            try
            {
                await StartAsync($"{Env}-{i}", hosts[i % hosts.Length]);
                return true;
            }
            catch (DuplicateUpdateException)
            {
                return false;
            }
        })));

        Assert.Single(started, s => s);
        var active = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Store.Releases.ListAsync($"{Env}-{i}", activeOnly: true, limit: 1, None)));
        Assert.Single(active, a => a.Count == 1);
    }

    [Fact]
    public async Task Updates_handled_before_the_cut_off_are_forgotten_and_later_ones_kept()
    {
        var old = Guid.NewGuid().ToString("N");
        await Store.Updates.TryMarkProcessedAsync("telegram", old, None);
        var cutOff = DateTimeOffset.UtcNow.AddSeconds(0.5);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var recent = Guid.NewGuid().ToString("N");
        await Store.Updates.TryMarkProcessedAsync("telegram", recent, None);

        Assert.True(await Store.Updates.ForgetAsync(cutOff, None) >= 1);

        Assert.False(await Store.Updates.IsProcessedAsync("telegram", old, None));
        Assert.True(await Store.Updates.IsProcessedAsync("telegram", recent, None));
    }
}
