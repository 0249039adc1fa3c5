using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using ChatOps.Host.Console;
using ChatOps.IntegrationTests.Harness;

namespace ChatOps.IntegrationTests.Releases;

/// <summary>Rollback as the on-call engineer uses it in an incident, through the real host and the sandbox.</summary>
public sealed class RollbackTests
{
    private static readonly ChatUser Alice = new("console:alice");
    private static readonly ChatUser Bob = new("console:bob");
    private static readonly string[] Apps = ["myloware-api", "myloware-orchestrator"];

    private static void AssertEverythingOn(SandboxBot bot, string tag)
    {
        foreach (var app in Apps)
            Assert.All(bot.Sandbox.Fly.Machines(app), m => Assert.Equal(tag, ChatOps.Core.Commands.StatusReporter.TagOf(m.Image)));
    }

    /// <summary>#1 v0.2.0 released, #2 v0.3.0 failed at Verify and was never rolled back, #3 v0.4.0 released on top of it.</summary>
    private static async Task<SandboxBot> AfterAFailedReleaseAsync(IDictionary<string, string?>? settings = null)
    {
        var bot = await SandboxBot.StartAsync(settings);
        await bot.ReleaseApprovedAsync("v0.2.0");
        bot.Sandbox.Faults.UnhealthyTags.Add("v0.3.0");
        Assert.Contains("Failed at Verify", await bot.SayAsync("/release v0.3.0"));
        bot.Sandbox.Faults.UnhealthyTags.Remove("v0.3.0");
        Assert.Contains("✅ Released v0.4.0", await bot.SayAsync("/release v0.4.0"));
        return bot;
    }

    [Fact]
    public async Task A_rollback_goes_to_the_last_good_release_skipping_one_that_failed()
    {
        await using var bot = await AfterAFailedReleaseAsync();

        var output = await bot.SayConfirmedAsync("/rollback");

        Assert.Contains("Rollback #4 of production to v0.2.0 started: release #1 (v0.2.0) is the last good release before #3", output);
        Assert.Contains("Rolled back production to v0.2.0", output);
        AssertEverythingOn(bot, "v0.2.0");
    }

    [Fact]
    public async Task A_stale_roll_back_button_is_refused_with_the_reason_and_nothing_moves()
    {
        await using var bot = await AfterAFailedReleaseAsync();
        var button = (await bot.Get<IApprovalStore>().OpenAsync(2, DateTimeOffset.UtcNow, CancellationToken.None)).Single(t => t.Action == CardAction.Rollback);
        var updates = bot.Sandbox.Mutations.Count("fly.update");

        var pressed = await bot.Get<ChatOpsBot>().PressAsync(new ButtonPress(Alice, ConsoleChat.Channel, button.Token), CancellationToken.None);

        Assert.True(pressed.IsRefusal);
        Assert.Contains("Release #2 (v0.3.0) is no longer the last change to production: release #3 (v0.4.0) changed it since", pressed.Text);
        Assert.Contains("/rollback production", pressed.Text);
        Assert.Equal(updates, bot.Sandbox.Mutations.Count("fly.update"));
        Assert.Equal(3, (await bot.ReleasesAsync()).Count);
        AssertEverythingOn(bot, "v0.4.0");
    }

    [Fact]
    public async Task Rollback_to_a_tag_only_goes_to_one_released_there()
    {
        await using var bot = await AfterAFailedReleaseAsync();

        var never = await bot.SayAsync("/rollback --to v9.9.9");
        var failed = await bot.SayAsync("/rollback --to v0.3.0");
        var released = await bot.SayConfirmedAsync("/rollback --to v0.2.0");

        Assert.Contains("v9.9.9 was never released to production", never);
        Assert.Contains("/release v9.9.9 production", never);
        Assert.Contains("v0.3.0 was never released to production", failed);
        Assert.Contains("Rolled back production to v0.2.0", released);
        Assert.Equal(4, (await bot.ReleasesAsync()).Count);
    }

    [Fact]
    public async Task Rollback_during_a_deploy_stops_it_between_two_machines_and_puts_back_only_what_moved()
    {
        // Slow machines one after the other, so the rollback lands while the deploy is under way.
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:DelayMilliseconds"] = "400",
            ["ChatOps:Environments:production:Deploy:Order"] = "in-order",
        });
        await bot.SayAsync("/release v0.2.0");
        var approved = await bot.Get<ApprovalCommands>().DecideAsync(1, null, Bob, approve: true, CancellationToken.None);
        Assert.True(approved.Accepted, approved.Message);
        await bot.WaitForReleaseAsync(1, "a first machine on v0.2.0", r => r.Outputs.Machines.Any(m => m.After is not null));

        var asked = await bot.Get<RollbackCommands>().StartRollbackAsync("production", null, false, Alice, ConsoleChat.Channel, CancellationToken.None);

        Assert.True(asked.Accepted, asked.Message);
        Assert.Contains("stops now (a machine still waiting to turn healthy is not waited for)", asked.Message);
        var rollback = await bot.WaitForStateAsync(2, ReleaseState.RolledBack);
        var stopped = await bot.ReleaseAsync(1);
        Assert.Equal(ReleaseState.Failed, stopped.State);
        Assert.Contains("to roll back", stopped.Error);
        Assert.InRange(stopped.Outputs.Machines.Count(m => m.After is not null), 1, 3);
        Assert.Equal(1, rollback.RollbackOf);
        AssertEverythingOn(bot, "v0.1.0");
    }

    [Fact]
    public async Task A_lock_is_a_freeze_approve_is_refused_and_a_rollback_says_it_overrides_it()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.ReleaseApprovedAsync("v0.2.0");
        await bot.SayAsync("/release v0.3.0 --dry-run");
        bot.Sandbox.Fly.Alembic.AddRevision("add index on runs.status");
        await bot.SayAsync("/release v0.3.0");
        await bot.SayAsync("/lock production incident 7");
        await bot.SayAsync("/as bob");

        var refused = await bot.SayAsync("/approve 2");

        Assert.Contains("production is locked by console:alice", refused);
        Assert.Contains("incident 7", refused);
        Assert.Equal(ReleaseState.AwaitApproval, (await bot.ReleaseAsync(2)).State);
        Assert.Equal(1, bot.Sandbox.Mutations.Count("fly.exec:alembic upgrade"));
        await bot.SayAsync("/reject 2");
        await bot.SayAsync("/as alice");
        var rollback = await bot.SayConfirmedAsync("/rollback");
        Assert.Contains("It overrides the freeze on production (locked by console:alice: incident 7)", rollback);
        AssertEverythingOn(bot, "v0.1.0");
    }
}
