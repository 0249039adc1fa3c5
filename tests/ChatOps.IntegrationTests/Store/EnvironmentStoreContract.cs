using ChatOps.Core.Ports;
using ChatOps.Core.Store;

namespace ChatOps.IntegrationTests.Store;

public abstract class EnvironmentStoreContract(ITestStore stores) : StoreContract(stores)
{
    [Fact]
    public async Task Environment_state_holds_the_latest_service_versions_and_migration()
    {
        await Store.Environments.RecordServiceAsync(Env, new DeployedService("web", "v1.1.0", "img:1", null, T0), None);
        await Store.Environments.RecordServiceAsync(Env, new DeployedService("worker", "v1.1.0", "img:w1", null, T0), None);
        await Store.Environments.RecordServiceAsync(Env, new DeployedService("web", "v1.2.0", "img:2", 7, T0.AddHours(1)), None);
        await Store.Environments.RecordMigrationAsync(Env, "a1", None);
        await Store.Environments.RecordMigrationAsync(Env, "b2", None);

        var state = await Store.Environments.GetAsync(Env, None);
        var other = await Store.Environments.GetAsync(Env + "-other", None);

        Assert.Equal(
            [new DeployedService("web", "v1.2.0", "img:2", 7, T0.AddHours(1)), new DeployedService("worker", "v1.1.0", "img:w1", null, T0)],
            state.Services);
        Assert.Equal("b2", state.LastMigration);
        Assert.Null(state.Lock);
        Assert.Equal((0, null, null), (other.Services.Count, other.LastMigration, other.Lock));
    }

    [Fact]
    public async Task A_live_lock_wins_over_a_new_request()
    {
        var alice = new EnvironmentLock(Env, "alice", "quarter close", T0, T0.AddHours(2));

        var first = await Store.Environments.LockAsync(alice, T0, None);
        var second = await Store.Environments.LockAsync(new EnvironmentLock(Env, "bob", "hotfix", T0.AddHours(1), null), T0.AddHours(1), None);

        Assert.Equal(alice, first);
        Assert.Equal(alice, second);
        Assert.Equal(alice, (await Store.Environments.GetAsync(Env, None)).Lock);
    }

    [Fact]
    public async Task An_expired_lock_is_replaced_and_a_lock_without_an_end_is_not()
    {
        await Store.Environments.LockAsync(new EnvironmentLock(Env, "alice", "quarter close", T0, T0.AddHours(2)), T0, None);
        var bob = new EnvironmentLock(Env, "bob", "incident", T0.AddHours(3), null);

        var replaced = await Store.Environments.LockAsync(bob, T0.AddHours(3), None);
        var kept = await Store.Environments.LockAsync(new EnvironmentLock(Env, "carol", "release", T0.AddDays(30), null), T0.AddDays(30), None);

        Assert.Equal(bob, replaced);
        Assert.Equal(bob, kept);
    }

    [Fact]
    public async Task Unlocking_returns_the_lock_it_removed()
    {
        var alice = new EnvironmentLock(Env, "alice", "quarter close", T0, null);
        await Store.Environments.LockAsync(alice, T0, None);

        Assert.Equal(alice, await Store.Environments.UnlockAsync(Env, None));
        Assert.Null((await Store.Environments.GetAsync(Env, None)).Lock);
        Assert.Null(await Store.Environments.UnlockAsync(Env, None));
    }
}
