using ChatOps.Core.Releases;
using static ChatOps.IntegrationTests.Slack.SlackBotHost;

namespace ChatOps.IntegrationTests.Slack;

/// <summary>Releases run from a Slack channel over HTTP: slash commands, the Block Kit card kept current, button clicks.</summary>
[Collection(SlackCollection.Name)]
public sealed class SlackReleaseTests
{
    [Fact]
    public async Task A_slash_release_is_acknowledged_before_it_finishes_its_card_is_updated_to_released_and_only_another_approver_may_approve()
    {
        // The requester may approve in general, so only the four-eyes rule stops them.
        await using var bot = await StartAsync(settings: new Dictionary<string, string?> { ["ChatOps:Access:Approvers:1"] = $"slack:{Releaser}" });

        var ack = await bot.Slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0");

        Assert.Equal(200, ack.Status);
        Assert.Contains("/release v0.2.0", ack.AckText);
        Assert.DoesNotContain(await bot.ReleasesAsync(), r => Runbook.IsFinished(r.State));
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        Assert.StartsWith("Release #1 v0.2.0 → production: ", card.Text);
        Assert.Equal("primary", card.Buttons.Single(b => b.Text == "Approve migrations").Style);
        Assert.Contains(card.Buttons, b => b.Text == "Reject");
        var started = await bot.ReplyToAsync(ack);
        Assert.Contains("Release #1 of v0.2.0 to production started", started.Text);
        Assert.True(started.IsEphemeral);

        var byRequester = await bot.ReplyToAsync(await bot.Slack.ClickAsync(Releaser, card, "Approve migrations"));
        Assert.StartsWith("⛔", byRequester.Text);
        Assert.Contains("four-eyes", byRequester.Text);
        Assert.True(byRequester.IsEphemeral);
        var byStranger = await bot.ReplyToAsync(await bot.Slack.ClickAsync(Stranger, card, "Approve migrations"));
        Assert.Contains($"slack:{Stranger} is not an approver", byStranger.Text);
        var byApprover = await bot.ReplyToAsync(await bot.Slack.ClickAsync(Approver, card, "Approve migrations"));
        Assert.DoesNotContain("⛔", byApprover.Text);
        Assert.Contains($"Approved by slack:{Approver}", byApprover.Text);

        var released = await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");
        Assert.Equal(card.Ts, released.Ts);
        Assert.Contains($"approved by slack:{Approver}", released.AllText);
        Assert.Empty(released.Buttons);
        Assert.True(released.UpdateCount >= 2, $"the card was updated {released.UpdateCount} times");
        // One card; the other messages are the call to the approvers and the closing message.
        Assert.Single(bot.Slack.Messages(Channel), m => m.Text.StartsWith("Release #1", StringComparison.Ordinal));
        // Ordered on the simulator's clock, not timed: the acknowledgement came back before the card said released.
        var final = bot.Slack.CallsTo("chat.update").First(c => ((string?)c.Body["text"] ?? "").Contains("Released", StringComparison.Ordinal));
        Assert.True(ack.At < final.At);
        foreach (var app in new[] { "myloware-api", "myloware-orchestrator" })
            Assert.All(bot.Sandbox.Fly.Machines(app), m => Assert.StartsWith($"registry.fly.io/{app}:v0.2.0@sha256:", m.Image));
    }

    [Fact]
    public async Task A_failed_verification_offers_a_danger_roll_back_behind_a_confirm_dialog_and_the_click_rolls_back()
    {
        await using var bot = await StartAsync();
        bot.Sandbox.Faults.UnhealthyTags.Add("v0.2.0");
        await bot.Slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        await bot.ReplyToAsync(await bot.Slack.ClickAsync(Approver, card, "Approve migrations"));

        // The running card offers Roll back from Migrate on; the failed card offers it again.
        var failed = await bot.CardShowingAsync("Release #1", "Failed at Verify");
        var rollBack = failed.Buttons.Single(b => b.Text == "Roll back");
        Assert.Equal("danger", rollBack.Style);
        Assert.False(rollBack.HasConfirm);

        // A second press, in a message of its own, since a rollback cannot be undone.
        var asked = await bot.ReplyToAsync(await bot.Slack.ClickAsync(Releaser, failed, "Roll back"));
        Assert.Contains("within a minute", asked.Text);
        var confirm = await bot.WaitForAsync("the confirmation", () =>
            bot.Slack.Messages(Channel).FirstOrDefault(m => m.Buttons.Any(b => b.Text == "Yes, roll back production")));
        Assert.Equal([Releaser], confirm.Mentions);
        var pressed = await bot.ReplyToAsync(await bot.Slack.ClickAsync(Releaser, confirm, "Yes, roll back production"));
        Assert.Contains("Rollback #2 of production to v0.1.0 started", pressed.Text);

        var rollback = await bot.CardShowingAsync("Rollback #2", "Rolled back production to v0.1.0");
        Assert.NotEqual(card.Ts, rollback.Ts);
        var original = await bot.CardShowingAsync("Release #1", "rolled back by #2");
        Assert.DoesNotContain(original.Buttons, b => b.Text == "Roll back");
        foreach (var app in new[] { "myloware-api", "myloware-orchestrator" })
            Assert.All(bot.Sandbox.Fly.Machines(app), m => Assert.Equal($"registry.fly.io/{app}:v0.1.0", m.Image));
    }

    [Fact]
    public async Task Rate_limits_on_chat_update_are_waited_out_and_the_final_card_still_arrives()
    {
        await using var bot = await StartAsync();
        // Both ways Slack says it: HTTP 429 with Retry-After, and 200 with ok:false ratelimited.
        bot.Slack.FailNext("chat.update", "ratelimited", status: 429, retryAfter: 1);
        bot.Slack.FailNext("chat.update", "ratelimited", status: 200, retryAfter: 1);
        await bot.Slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        await bot.ReplyToAsync(await bot.Slack.ClickAsync(Approver, card, "Approve migrations"));

        await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");

        var updates = bot.Slack.CallsTo("chat.update");
        Assert.Contains(updates, c => c.Status == 429);
        Assert.Contains(updates, c => c.Status == 200 && c.Error == "ratelimited");
        Assert.Single(bot.Slack.Messages(Channel), m => m.Text.StartsWith("Release #", StringComparison.Ordinal));
    }
}
