using System.Data.Common;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;

namespace ChatOps.IntegrationTests.Store;

public abstract class AuditContract(ITestStore stores) : StoreContract(stores)
{
    [Fact]
    public async Task Events_come_back_in_the_order_they_were_appended()
    {
        var release = await StartAsync();
        foreach (var (action, minute) in new[] { ("preflight", 1), ("tagged", 2), ("backed-up", 3) })
            await Store.Releases.AppendAsync(new AuditEvent(release.Id, Env, "bot", action, null, null, $"at {minute}", T0.AddMinutes(minute)), None);
        await Store.Releases.AppendAsync(new AuditEvent(null, Env, "carol", "locked", null, null, "freeze", T0.AddMinutes(4)), None);

        var ofRelease = await Store.Releases.EventsAsync(release.Id, null, limit: 10, None);
        var latestOfEnvironment = await Store.Releases.EventsAsync(null, Env, limit: 2, None);

        Assert.Equal(["started", "preflight", "tagged", "backed-up"], ofRelease.Select(e => e.Action));
        Assert.Equal(new AuditEvent(release.Id, Env, "bot", "tagged", null, null, "at 2", T0.AddMinutes(2)), ofRelease[2]);
        Assert.Equal(["backed-up", "locked"], latestOfEnvironment.Select(e => e.Action));
        Assert.Null(latestOfEnvironment[1].ReleaseId);
    }

    [Fact]
    public async Task Saving_with_an_event_records_the_transition()
    {
        var release = await StartAsync();

        await EndAsync(release, Core.Releases.ReleaseState.Cancelled);

        var ended = (await Store.Releases.EventsAsync(release.Id, null, limit: 10, None))[^1];
        Assert.Equal(("ended", "Requested", "Cancelled"), (ended.Action, ended.FromState, ended.ToState));
    }

    [Fact]
    public async Task The_event_log_refuses_updates_and_deletes()
    {
        var release = await StartAsync();

        await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync($"UPDATE events SET actor = 'mallory' WHERE environment = '{Env}'"));
        await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync($"DELETE FROM events WHERE environment = '{Env}'"));

        var kept = Assert.Single(await Store.Releases.EventsAsync(release.Id, null, limit: 10, None));
        Assert.Equal("alice", kept.Actor);
    }
}
