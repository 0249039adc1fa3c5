using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;
using ChatOps.IntegrationTests.Harness;

namespace ChatOps.IntegrationTests.Releases;

/// <summary>
/// Against a Fly as unkind as the real one: a machine knows only its own image's migration files, and an image exists
/// only once pushed. The release's migrations are read and applied in a temporary machine on the release's image.
/// </summary>
public sealed class MigrationMachineTests
{
    private const string MigrationsApp = "myloware-api";

    private static IReadOnlyList<Sandbox.SimMachine> MigrationMachines(SandboxBot bot) =>
        bot.Sandbox.Fly.MachinesWithMetadata(MigrationsApp, "chatops_role", "migrations");

    [Fact]
    public async Task A_revision_only_the_release_image_knows_is_shown_with_its_sql_and_verdict_and_applied_from_that_image()
    {
        await using var bot = await SandboxBot.StartAsync();
        var dropped = bot.Sandbox.Fly.Alembic.AddRevision("drop legacy_runs", since: "v0.2.0", sql: "DROP TABLE legacy_runs;");

        var gate = await bot.SayAsync("/release v0.2.0");

        Assert.Contains("create artifacts — additive", gate);
        Assert.Contains($"{dropped} drop legacy_runs — destructive: drops table legacy_runs", gate);
        Assert.Contains("⚠ destructive: going back needs the backup restore", gate);
        Assert.Contains("CREATE TABLE artifacts", gate);
        var machine = Assert.Single(MigrationMachines(bot));
        Assert.StartsWith("registry.fly.io/myloware-api:v0.2.0@sha256:", machine.Image);

        await bot.SayAsync("/as bob");
        var done = await bot.SayAsync("/approve 1");

        Assert.Contains("✅ Released v0.2.0", done);
        Assert.Equal(dropped, bot.Sandbox.Fly.Alembic.Current);
        Assert.Equal(1, bot.Sandbox.Fly.Alembic.Upgrades.Count(r => r == dropped));
        Assert.Empty(MigrationMachines(bot));
        Assert.Equal(1, bot.Sandbox.Mutations.Count("fly.create:"));
    }

    [Fact]
    public async Task Today_the_old_image_would_have_seen_nothing_to_migrate()
    {
        // The ground the bot stands on: an app machine still on v0.1.0 knows only the first revision.
        await using var bot = await SandboxBot.StartAsync();
        var running = bot.Sandbox.Fly.Machines(MigrationsApp)[0];

        var heads = bot.Sandbox.Fly.Alembic.Run(["alembic", "heads"], running.Image);

        Assert.Equal(bot.Sandbox.Fly.Alembic.Revisions[0], heads.Stdout.Split(' ')[0]);
        Assert.NotEqual(bot.Sandbox.Fly.Alembic.Head, bot.Sandbox.Fly.Alembic.Revisions[0]);
    }

    [Fact]
    public async Task A_failing_migration_fails_the_release_with_its_output_and_leaves_no_machine()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.SayAsync("/release v0.2.0");
        bot.Sandbox.Faults.FailMigration = true;

        await bot.SayAsync("/as bob");
        var failed = await bot.SayAsync("/approve 1");

        Assert.Contains("Failed at Migrate", failed);
        Assert.Contains("DuplicateTable", failed);
        Assert.Equal(ReleaseState.Failed, (await bot.ReleaseAsync(1)).State);
        Assert.Empty(MigrationMachines(bot));
    }

    [Fact]
    public async Task Status_counts_the_apps_machines_only_while_a_migration_machine_waits_beside_them()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.SayAsync("/release v0.2.0");
        Assert.Single(MigrationMachines(bot));

        var status = await bot.SayAsync("/status");

        Assert.Contains("api: v0.1.0 on 2 machines", status);
    }

    [Fact]
    public async Task The_sweep_destroys_a_migration_machine_whose_release_the_store_does_not_know_once_it_is_old()
    {
        await using var bot = await SandboxBot.StartAsync();
        var fly = bot.Get<ChatOps.Core.Ports.IDeployTarget>();
        await fly.StartMigrationMachineAsync(MigrationsApp, 99, "registry.fly.io/myloware-api:v0.2.0", waitStarted: true, CancellationToken.None);
        var clock = new AheadClock();
        var sweep = new ChatOps.Core.Runner.MigrationMachineSweep(bot.Get<ChatOps.Core.Steps.ReleasePorts>(), bot.Get<ChatOps.Core.Settings.ChatOpsSettings>(),
            bot.Store, bot.Get<ChatOps.Core.Runner.LeaseKeeper>(), clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<ChatOps.Core.Runner.MigrationMachineSweep>.Instance);

        // Young, it may belong to a release being written right now.
        await sweep.SweepAsync(CancellationToken.None);
        Assert.Single(MigrationMachines(bot));
        clock.MoveAhead(TimeSpan.FromMinutes(5));
        await sweep.SweepAsync(CancellationToken.None);

        Assert.Empty(MigrationMachines(bot));
    }

    [Fact]
    public async Task A_rejected_release_leaves_no_machine()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.SayAsync("/release v0.2.0");
        Assert.Single(MigrationMachines(bot));

        await bot.SayAsync("/as bob");
        await bot.SayAsync("/reject 1");

        Assert.Empty(MigrationMachines(bot));
    }

    [Fact]
    public async Task An_image_never_pushed_is_refused_at_preflight_naming_the_push_command_and_nothing_changes()
    {
        await using var bot = await SandboxBot.StartAsync();

        var output = await bot.SayAsync("/release v0.9.0");

        Assert.Contains("Failed at Preflight", output);
        Assert.Contains("registry.fly.io/myloware-api:v0.9.0", output);
        Assert.Contains("fly deploy --build-only --push --image-label v0.9.0 -a myloware-api", output);
        Assert.Null(bot.Sandbox.GitHub.FindTag("v0.9.0"));
        Assert.Equal(0, bot.Sandbox.Mutations.Count("github."));
        Assert.Equal(0, bot.Sandbox.Mutations.Count("fly."));
    }

    [Fact]
    public async Task Every_machine_runs_the_digest_that_was_approved()
    {
        await using var bot = await SandboxBot.StartAsync();

        await bot.ReleaseApprovedAsync("v0.2.0");

        foreach (var app in new[] { "myloware-api", "myloware-orchestrator" })
        {
            var digest = bot.Sandbox.Fly.Registry.DigestOf($"registry.fly.io/{app}:v0.2.0");
            Assert.All(bot.Sandbox.Fly.Machines(app), m => Assert.Equal($"registry.fly.io/{app}:v0.2.0@{digest}", m.Image));
        }
    }

    [Fact]
    public async Task A_gate_with_nothing_to_migrate_says_so_in_words()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?>
        {
            ["ChatOps:Environments:production:Migrations:SkipApprovalWhenNothingPending"] = "false",
        });
        await bot.ReleaseApprovedAsync("v0.2.0");

        var gate = await bot.SayAsync("/release v0.2.1");

        Assert.Contains("nothing to migrate: approve to deploy v0.2.1", gate);
    }
}
