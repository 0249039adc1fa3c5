using ChatOps.Core.Releases;
using ChatOps.IntegrationTests.Harness;

namespace ChatOps.IntegrationTests.Releases;

/// <summary>The rules around the approval gate and rollbacks, through the real host and the sandbox.</summary>
public sealed class ApprovalAndRollbackRuleTests
{
    [Fact]
    public async Task An_approval_is_void_when_the_plan_changes_before_migrate_and_is_asked_again()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.SayAsync("/release v0.2.0");
        bot.Sandbox.Fly.Alembic.AddRevision("add index on runs.status");
        await bot.SayAsync("/as bob");

        var again = await bot.SayAsync("/approve 1");

        Assert.Contains("the plan changed since it was approved", again);
        Assert.Contains("add index on runs.status", again);
        Assert.Equal(0, bot.Sandbox.Mutations.Count("fly.exec:alembic upgrade"));
        var released = await bot.SayAsync("/approve 1");
        Assert.Contains("✅ Released v0.2.0", released);
        Assert.Equal(1, bot.Sandbox.Mutations.Count("fly.exec:alembic upgrade"));
    }

    [Fact]
    public async Task With_nothing_pending_the_card_says_so_and_the_gate_is_passed_without_asking()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.ReleaseApprovedAsync("v0.2.0");

        var second = await bot.SayAsync("/release v0.3.0");

        Assert.Contains("nothing to migrate: no approval needed", second);
        Assert.Contains("✅ Released v0.3.0", second);
        Assert.Equal(1, bot.Sandbox.Mutations.Count("fly.exec:alembic upgrade"));
    }

    [Fact]
    public async Task An_approval_nobody_decides_in_time_cancels_the_release()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?>
        {
            ["ChatOps:Access:ApprovalTimeout"] = "00:00:01",
            ["ChatOps:SweepInterval"] = "00:00:00.200",
        });
        await bot.SayAsync("/release v0.2.0");

        await bot.WaitForStateAsync(1, ReleaseState.Cancelled, TimeSpan.FromSeconds(30));

        Assert.Contains("nobody approved within", bot.Output);
        Assert.Equal(0, bot.Sandbox.Mutations.Count("fly.update"));
    }

    [Fact]
    public async Task Auto_rollback_puts_the_images_back_when_verify_fails_and_never_touches_the_database()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["ChatOps:Environments:production:AutoRollback"] = "true" });
        bot.Sandbox.Faults.UnhealthyTags.Add("v0.2.0");
        await bot.SayAsync("/release v0.2.0");
        await bot.SayAsync("/as bob");

        var output = await bot.SayAsync("/approve 1");

        Assert.Contains("Failed at Verify", output);
        Assert.Contains("Rolled back production to v0.1.0", output);
        var rollback = await bot.ReleaseAsync(2);
        Assert.Equal("chatops:auto-rollback", rollback.Requester);
        Assert.False(rollback.WithDatabase);
        foreach (var app in new[] { "myloware-api", "myloware-orchestrator" })
            Assert.All(bot.Sandbox.Fly.Machines(app), m => Assert.EndsWith(":v0.1.0", m.Image));
    }

    [Fact]
    public async Task Rollback_with_database_explains_how_to_restore_a_fly_snapshot_and_starts_nothing()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.ReleaseApprovedAsync("v0.2.0");

        var refused = await bot.SayAsync("/rollback --with-db");

        Assert.Contains("fly volumes create <name> --snapshot-id vs_", refused);
        Assert.Contains("without --with-db rolls the images back", refused);
        Assert.Single(await bot.Store.ListAsync("production", false, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_user_with_no_role_cannot_release_the_requester_cannot_approve_and_nobody_approves_twice()
    {
        // Alice is an approver too here, so only the four-eyes rule stops her approving her own release.
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["ChatOps:Access:Approvers:1"] = "console:alice" });
        await bot.SayAsync("/as mallory");
        Assert.Contains("console:mallory is not a releaser", await bot.SayAsync("/release v0.2.0"));
        await bot.SayAsync("/as alice");
        await bot.SayAsync("/release v0.2.0");
        Assert.Contains("another approver must approve it", await bot.SayAsync("/approve 1"));
        await bot.SayAsync("/as bob");
        await bot.SayAsync("/approve 1");

        Assert.Contains("not waiting for approval", await bot.SayAsync("/approve 1"));
    }
}
