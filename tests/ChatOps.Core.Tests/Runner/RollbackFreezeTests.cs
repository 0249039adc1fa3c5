using ChatOps.Core.Releases;

namespace ChatOps.Core.Tests.Runner;

/// <summary>A rollback leaves its environment frozen until someone unlocks it, as its confirmation promised, whatever its end.</summary>
public sealed class RollbackFreezeTests : CoreScenario
{
    private async Task TwoReleasesAsync()
    {
        foreach (var (tag, id) in new[] { ("v1.0.1", 1L), ("v1.1.0", 2L) })
        {
            await SayAsync(Alice, $"/release {tag}");
            await SayAsync(Bob, $"/approve {id}");
            Assert.Equal(ReleaseState.Released, (await ReleaseAsync(id)).State);
        }
    }

    [Fact]
    public async Task A_failed_rollback_leaves_the_environment_locked_with_the_reason_in_status()
    {
        await TwoReleasesAsync();
        Core.Fleet.BrokenTags.TryAdd("v1.0.1", 0);

        await SayConfirmedAsync(Alice, "/rollback");

        Assert.Equal(ReleaseState.RollbackFailed, (await ReleaseAsync(3)).State);
        var held = (await Core.Store.Environments.GetAsync(Env, CancellationToken.None)).Lock;
        Assert.NotNull(held);
        Assert.Null(held.Until);
        Assert.Contains("rollback #3", held.Reason);
        Assert.Contains("failed", held.Reason);
        var status = await SayAsync(Alice, $"/status {Env}");
        Assert.Contains("rollback #3", status.Text);
        Assert.True((await SayAsync(Alice, "/release v1.2.0")).IsRefusal);
    }

    [Fact]
    public async Task A_rollback_freeze_outlasts_an_older_lock_that_expires()
    {
        await TwoReleasesAsync();
        await SayAsync(Bob, $"/lock {Env} investigating --for 1h");

        await SayConfirmedAsync(Alice, "/rollback");
        Assert.Equal(ReleaseState.RolledBack, (await ReleaseAsync(3)).State);
        Clock.Advance(TimeSpan.FromHours(2));

        var held = (await Core.Store.Environments.GetAsync(Env, CancellationToken.None)).Lock;
        Assert.NotNull(held);
        Assert.True(held.IsLive(Clock.GetUtcNow()));
        Assert.Contains("rollback #3", held.Reason);
        Assert.True((await SayAsync(Alice, "/release v1.2.0")).IsRefusal);
    }
}
