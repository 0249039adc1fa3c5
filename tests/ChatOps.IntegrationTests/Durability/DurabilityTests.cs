using ChatOps.Core.Releases;

namespace ChatOps.IntegrationTests.Durability;

/// <summary>Restarts mid-release, two instances on one database, redelivered updates.</summary>
public sealed class DurabilityTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData("Preflight")]
    [InlineData("Tag")]
    [InlineData("Backup")]
    [InlineData("AwaitApproval")]
    [InlineData("Migrate")]
    [InlineData("VerifySchema")]
    [InlineData("Deploy:midway")]
    [InlineData("Deploy")]
    [InlineData("Verify")]
    [InlineData("Smoke")]
    [InlineData("Observe")]
    [InlineData("Document")]
    public async Task A_crash_after_a_step_did_its_work_is_repaired_by_the_next_instance_and_nothing_happens_twice(string crashAt)
    {
        await using var pair = await HostPair.CreateAsync();
        var crash = CrashSwitch.AfterStep(crashAt);
        var first = await pair.StartHostAsync(crash.Install);
        Assert.Contains("started", (await HostPair.SayAsync(first, HostPair.Alice, "/release v0.2.0")).Text);
        var stopped = await HostPair.DriveToEndAsync(first, 1, Limit, () => crash.Crashed);
        Assert.True(crash.Crashed, $"the release ended {stopped.State} before the crash point {crashAt}");
        await pair.StopAsync(first);

        var second = await pair.StartHostAsync();
        var release = await HostPair.DriveToEndAsync(second, 1, Limit);

        Assert.Equal(ReleaseState.Released, release.State);
        var mutations = pair.Sandbox.Mutations;
        Assert.Equal(1, mutations.Count("github.tag-object:v0.2.0"));
        Assert.Equal(1, mutations.Count("github.ref:refs/tags/v0.2.0"));
        Assert.Equal(1, mutations.Count("fly.snapshot:"));
        Assert.Equal(1, mutations.Count("fly.exec:alembic upgrade"));
        Assert.Equal(4, mutations.Count("fly.update:"));
        Assert.Equal(1, mutations.Count("github.contents:CHANGELOG.md"));
        Assert.False(string.IsNullOrEmpty(release.BotVersion));
    }

    [Fact]
    public async Task Ten_concurrent_releases_on_two_instances_start_exactly_one_and_the_rest_are_told_who_holds_it()
    {
        await using var pair = await HostPair.CreateAsync();
        var hosts = new[] { await pair.StartHostAsync(), await pair.StartHostAsync() };

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            HostPair.SayAsync(hosts[i % 2], HostPair.Alice, $"/release v0.{i + 2}.0", $"update-{i}")));

        Assert.Single(replies, r => r.Text.Contains("started", StringComparison.Ordinal));
        Assert.Equal(9, replies.Count(r => r.IsRefusal && r.Text.Contains("production is busy: release #", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task When_the_instance_running_a_release_dies_the_other_finishes_it()
    {
        await using var pair = await HostPair.CreateAsync();
        var crash = CrashSwitch.AfterStep("Deploy:midway");
        var doomed = await pair.StartHostAsync(crash.Install);
        var survivor = await pair.StartHostAsync();
        await HostPair.SayAsync(doomed, HostPair.Alice, "/release v0.2.0");

        await HostPair.DriveToEndAsync(doomed, 1, Limit, () => crash.Crashed);
        var release = await HostPair.DriveToEndAsync(survivor, 1, Limit);

        Assert.Equal(ReleaseState.Released, release.State);
        Assert.Equal(4, pair.Sandbox.Mutations.Count("fly.update:"));
    }

    [Fact]
    public async Task The_same_update_delivered_twice_at_once_to_two_instances_has_one_effect()
    {
        await using var pair = await HostPair.CreateAsync();
        var a = await pair.StartHostAsync();
        var b = await pair.StartHostAsync();

        var replies = await Task.WhenAll(
            HostPair.SayAsync(a, HostPair.Alice, "/release v0.2.0", "telegram-update-77"),
            HostPair.SayAsync(b, HostPair.Alice, "/release v0.2.0", "telegram-update-77"),
            HostPair.SayAsync(a, HostPair.Alice, "/release v0.2.0", "telegram-update-77"));

        Assert.Single(replies, r => r.Text.Contains("started", StringComparison.Ordinal));
        Assert.Equal(2, replies.Count(r => r.Text.Length == 0));
    }
}
