using ChatOps.Core.Commands;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using ChatOps.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Releases;

/// <summary>The runbook end to end: real host, real clients, loopback simulators, the console's command path.</summary>
public sealed class ReleaseScenarioTests
{
    [Fact]
    public async Task A_happy_release_tags_the_head_deploys_every_machine_and_writes_the_changelog()
    {
        await using var bot = await SandboxBot.StartAsync();
        var head = bot.Sandbox.GitHub.HeadSha;

        var requested = await bot.SayAsync("/release v0.2.0");
        Assert.Contains("Release #1 of v0.2.0 to production started", requested);
        Assert.Contains("Waiting for an approver", requested);
        Assert.Contains("create artifacts", requested);
        Assert.Contains("[1] Approve migrations", requested);

        await bot.SayAsync("/as bob");
        var approved = await bot.SayAsync("1");

        Assert.Contains("Approved by console:bob", approved);
        Assert.Contains("✅ Released v0.2.0 to production", approved);
        Assert.Equal(head, bot.Sandbox.GitHub.FindTag("v0.2.0")?.CommitSha);
        foreach (var app in new[] { "myloware-api", "myloware-orchestrator" })
            Assert.All(bot.Sandbox.Fly.Machines(app), m => Assert.StartsWith($"registry.fly.io/{app}:v0.2.0@sha256:", m.Image));
        Assert.Contains("## v0.2.0", bot.Sandbox.GitHub.ReadFile("CHANGELOG.md"));
        Assert.Equal(1, bot.Sandbox.Mutations.Count("fly.exec:alembic upgrade"));

        var status = await bot.SayAsync("/status");
        Assert.Contains("api: v0.2.0 on 2 machines", status);
        Assert.Contains("orchestrator: v0.2.0 on 2 machines", status);
    }

    [Fact]
    public async Task A_failing_required_check_stops_at_preflight_naming_it_and_changes_nothing()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.Sandbox.GitHub.SetCheckRun(bot.Sandbox.GitHub.HeadSha, "coverage", "completed", "failure");

        var output = await bot.SayAsync("/release v0.2.0");

        Assert.Contains("Failed at Preflight", output);
        Assert.Contains("coverage (failure)", output);
        Assert.Contains("Production was not changed", output);
        Assert.Null(bot.Sandbox.GitHub.FindTag("v0.2.0"));
        Assert.Equal(0, bot.Sandbox.Mutations.Count("github."));
        Assert.Equal(0, bot.Sandbox.Mutations.Count("fly."));
    }

    [Fact]
    public async Task Rejecting_at_approval_cancels_and_deploys_nothing()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.SayAsync("/release v0.2.0");
        await bot.SayAsync("/as bob");

        var rejected = await bot.SayAsync("/reject 1");

        Assert.Contains("Rejected by console:bob", rejected);
        Assert.Contains("Cancelled", rejected);
        Assert.Equal(0, bot.Sandbox.Mutations.Count("fly.update"));
        Assert.Equal(0, bot.Sandbox.Mutations.Count("fly.exec"));
        Assert.NotNull(bot.Sandbox.GitHub.FindTag("v0.2.0"));
    }

    [Fact]
    public async Task An_unhealthy_new_version_fails_offers_rollback_and_the_rollback_restores_the_previous_images()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.Sandbox.Faults.UnhealthyTags.Add("v0.2.0");
        await bot.SayAsync("/release v0.2.0");
        await bot.SayAsync("/as bob");

        var failed = await bot.SayAsync("/approve 1");
        Assert.Contains("Failed at Verify", failed);
        Assert.Contains("503", failed);
        Assert.Contains("[1] Roll back", failed);

        await bot.SayAsync("/as alice");
        var asked = await bot.SayAsync("1");
        Assert.Contains("Roll back production?", asked);
        var rolledBack = await bot.SayAsync("1");

        Assert.Contains("Rollback #2 of production to v0.1.0 started", rolledBack);
        Assert.Contains("Rolled back production to v0.1.0", rolledBack);
        foreach (var app in new[] { "myloware-api", "myloware-orchestrator" })
            Assert.All(bot.Sandbox.Fly.Machines(app), m => Assert.Equal($"registry.fly.io/{app}:v0.1.0", m.Image));
        var store = bot.App.Services.GetRequiredService<IEnvironmentStore>();
        Assert.NotNull((await store.GetAsync("production", CancellationToken.None)).Lock);
        Assert.Contains("is locked by console:alice", await bot.SayAsync("/release v0.2.1"));
    }

    [Fact]
    public async Task Cancel_before_migrate_works()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.SayAsync("/release v0.2.0");

        var cancelled = await bot.SayAsync("/cancel 1");

        Assert.Contains("cancelled by console:alice", cancelled);
        Assert.Equal(0, bot.Sandbox.Mutations.Count("fly.exec"));
        Assert.Equal(0, bot.Sandbox.Mutations.Count("fly.update"));
    }

    [Fact]
    public async Task Cancel_after_migrate_is_refused()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["ChatOps:VerifyAttempts"] = "100" });
        bot.Sandbox.Faults.UnhealthyTags.Add("v0.2.0");
        await bot.SayAsync("/release v0.2.0");
        await bot.SayAsync("/as bob");
        var approval = bot.Get<ApprovalCommands>().DecideAsync(1, null, new("console:bob"), approve: true, CancellationToken.None);
        Assert.True((await approval).Accepted);
        await bot.WaitForStateAsync(1, ReleaseState.Verify);

        var refused = await bot.Get<StopCommands>().CancelAsync(1, new("console:alice"), CancellationToken.None);

        Assert.False(refused.Accepted);
        Assert.Contains("past the point of no return", refused.Message);
        bot.Sandbox.Faults.UnhealthyTags.Remove("v0.2.0");
        await bot.WhenIdleAsync();
        Assert.Equal(ReleaseState.Released, (await bot.ReleaseAsync(1)).State);
    }

    [Fact]
    public async Task Rate_limits_and_server_errors_from_fly_on_the_first_calls_are_ridden_out()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.Sandbox.Faults.FailNextFlyCalls(2, 429, TimeSpan.FromSeconds(1));
        await bot.SayAsync("/release v0.2.0");
        bot.Sandbox.Faults.FailNextFlyCalls(2, 500);
        await bot.SayAsync("/as bob");

        var output = await bot.SayAsync("/approve 1");

        Assert.Contains("✅ Released v0.2.0", output);
    }

    [Fact]
    public async Task A_second_release_on_a_busy_environment_is_refused_naming_who_holds_it()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["ChatOps:Access:Releasers:1"] = "console:carol" });
        await bot.SayAsync("/release v0.2.0");
        await bot.SayAsync("/as carol");

        var refused = await bot.SayAsync("/release v0.3.0");

        Assert.Contains("production is busy: release #1 v0.2.0 by console:alice is at Approval", refused);
    }

    [Fact]
    public async Task A_dry_run_shows_the_plan_and_changes_nothing()
    {
        await using var bot = await SandboxBot.StartAsync();

        var plan = await bot.SayAsync("/release v0.2.0 --dry-run");

        Assert.Contains("Dry run of v0.2.0", plan);
        Assert.Contains("registry.fly.io/myloware-api:v0.2.0", plan);
        // The release's migrations are known to its image only: a dry run starts no machine to read them.
        Assert.Contains("Migrations: read at the approval in a temporary machine of myloware-api on v0.2.0's image", plan);
        Assert.Matches(@"In the release: \d+ commits? since v0\.1\.0:", plan);
        Assert.Empty(bot.Sandbox.Mutations.Entries);
        Assert.Contains("No releases", await bot.SayAsync("/history"));
    }

    [Fact]
    public async Task A_command_that_fails_on_an_outside_call_says_why_and_the_console_keeps_going()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.Sandbox.Faults.FailNextGitHubCalls(20, 503);

        var failed = await bot.SayAsync("/release v0.2.0 --dry-run");
        var next = await bot.SayAsync("/whoami");

        Assert.Contains("That did not work: GitHub answered 503", failed);
        Assert.Contains("You are console:alice", next);
    }

    [Fact]
    public async Task A_lock_refuses_releases_with_its_reason_until_unlocked_and_a_forced_unlock_is_audited()
    {
        await using var bot = await SandboxBot.StartAsync();

        Assert.Contains("production locked by console:alice", await bot.SayAsync("/lock payments incident --for 2h"));
        Assert.Contains("payments incident", await bot.SayAsync("/release v0.2.0"));
        await bot.SayAsync("/as bob");
        Assert.Contains("Only they can unlock it", await bot.SayAsync("/unlock"));
        Assert.Contains("unlocked by console:bob (forced", await bot.SayConfirmedAsync("/unlock --force"));
        await bot.SayAsync("/as alice");
        Assert.Contains("started", await bot.SayAsync("/release v0.2.0"));

        var history = await bot.SayAsync("/history");
        Assert.Contains("locked by console:alice: payments incident", history);
        Assert.Contains("unlocked by console:bob with --force", history);
        Assert.Contains("release v0.2.0 requested by console:alice", history);
    }
}
