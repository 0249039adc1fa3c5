using ChatOps.Core.Commands;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;

namespace ChatOps.Core.Tests.Runner;

/// <summary>
/// The release's migrations are read and run in a machine on the release's own image, which goes when it is done;
/// images must exist before anything changes; what is deployed is the digest that was approved.
/// </summary>
public sealed class MigrationMachineTests : CoreScenario
{
    [Fact]
    public async Task The_gate_shows_each_revision_with_its_verdict_what_it_means_for_a_rollback_and_the_first_sql_lines()
    {
        await SayAsync(Alice, "/release v1.1.0");

        var card = Core.Surface.Cards.Last(c => c.ReleaseId == 1);
        var details = string.Join("\n", card.Details);
        Assert.Contains("b2c3d4 add runs.priority — additive", details);
        Assert.Contains("f6e5d4 webhook_events retention — destructive: deletes rows of webhook_events", details);
        Assert.Contains("⚠ destructive: going back needs the backup restore", details);
        Assert.Contains("ALTER TABLE runs ADD COLUMN priority INTEGER DEFAULT '0' NOT NULL;", details);
        Assert.Contains(Core.Surface.Details, d => d.Output is { } sql && sql.Contains("DELETE FROM webhook_events", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_migration_machine_is_on_the_release_image_pinned_to_the_approved_digest_and_gone_once_the_schema_is_checked()
    {
        await SayAsync(Alice, "/release v1.1.0");
        var waiting = await ReleaseAsync(1);
        var machine = Assert.Single(Core.Fleet.MigrationMachines.Values);

        await SayAsync(Bob, "/approve 1");

        Assert.Equal($"registry.fly.io/env0-api:v1.1.0@{waiting.Outputs.PlannedDigests["api"]}", machine.Image);
        Assert.Empty(Core.Fleet.MigrationMachines);
        Assert.Equal(1, Core.Fleet.MigrationMachinesCreated);
        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(1)).State);
    }

    [Fact]
    public async Task A_rejected_release_leaves_no_migration_machine()
    {
        await SayAsync(Alice, "/release v1.1.0");
        Assert.Single(Core.Fleet.MigrationMachines);

        await SayAsync(Bob, "/reject 1");

        Assert.Equal(ReleaseState.Cancelled, (await ReleaseAsync(1)).State);
        Assert.Empty(Core.Fleet.MigrationMachines);
    }

    [Fact]
    public async Task Deploy_puts_every_machine_on_the_digest_shown_for_approval()
    {
        await SayAsync(Alice, "/release v1.1.0");
        var digests = (await ReleaseAsync(1)).Outputs.PlannedDigests;

        await SayAsync(Bob, "/approve 1");

        Assert.All(Core.Fleet.Updates, update => Assert.Equal(digests[update.Machine.Contains("-api-", StringComparison.Ordinal) ? "api" : "orchestrator"], update.Image.Split('@')[1]));
        Assert.All(Core.Fleet.Updates, update => Assert.Equal("v1.1.0", StatusReporter.TagOf(update.Image)));
    }

    [Fact]
    public async Task An_image_never_pushed_is_refused_at_preflight_naming_the_push_command_and_nothing_is_tagged()
    {
        Core.Fleet.MissingImages.TryAdd("registry.fly.io/env0-orchestrator:v1.1.0", 0);

        await SayAsync(Alice, "/release v1.1.0");

        var release = await ReleaseAsync(1);
        Assert.Equal(ReleaseState.Failed, release.State);
        Assert.Equal(ReleaseState.Preflight, release.StoppedAt);
        Assert.Contains("registry.fly.io/env0-orchestrator:v1.1.0", release.Error);
        Assert.Contains("fly deploy --build-only --push --image-label v1.1.0 -a env0-orchestrator", release.Error);
        Assert.Null(release.Outputs.TagObjectSha);
        Assert.Empty(Core.Fleet.MigrationMachines);
    }

    [Fact]
    public async Task A_gate_left_idle_loses_its_machine_and_the_migration_starts_a_new_one()
    {
        await SayAsync(Alice, "/release v1.1.0");
        Assert.Single(Core.Fleet.MigrationMachines);

        Clock.Advance(MigrationMachineSweepTimes.PastIdle);
        await Core.Get<MigrationMachineSweep>().SweepAsync(CancellationToken.None);
        Assert.Empty(Core.Fleet.MigrationMachines);

        await SayAsync(Bob, "/approve 1");

        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(1)).State);
        Assert.Equal(2, Core.Fleet.MigrationMachinesCreated);
        Assert.Empty(Core.Fleet.MigrationMachines);
    }

    [Fact]
    public async Task The_sweep_destroys_the_machine_of_an_ended_release_and_leaves_a_waiting_gates_alone()
    {
        await SayAsync(Alice, "/release v1.1.0");
        await Core.Fleet.StartMigrationMachineAsync("env0-api", 99, "registry.fly.io/env0-api:v1.0.0", waitStarted: true, CancellationToken.None);

        Clock.Advance(TimeSpan.FromMinutes(3));
        await Core.Get<MigrationMachineSweep>().SweepAsync(CancellationToken.None);

        // #99 is no release the store knows (left by a crash long ago); #1 waits at its gate, not yet idle.
        Assert.Equal([1L], Core.Fleet.MigrationMachines.Keys.Order());
    }
}

internal static class MigrationMachineSweepTimes
{
    public static readonly TimeSpan PastIdle = MigrationMachineSweep.IdleGate + TimeSpan.FromMinutes(1);
}
