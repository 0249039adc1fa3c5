using ChatOps.Core.Releases;
using static ChatOps.IntegrationTests.Telegram.TelegramBotHost;

namespace ChatOps.IntegrationTests.Telegram;

/// <summary>Releases run from a Telegram group: commands by long polling, the card edited in place, inline buttons.</summary>
[Collection(TelegramCollection.Name)]
public sealed class TelegramReleaseTests
{
    [Fact]
    public async Task A_release_from_the_group_is_refused_to_the_requester_and_a_stranger_and_approved_by_another_approver()
    {
        // The requester may approve in general, so only the four-eyes rule stops them.
        await using var bot = await StartAsync(new Dictionary<string, string?> { ["ChatOps:Access:Approvers:1"] = $"telegram:{Releaser}" });
        var typed = bot.Telegram.Type(Group, Releaser, $"/release@{bot.Telegram.Bot.Username} v0.2.0");

        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        Assert.Contains("Release #1 of v0.2.0 to production started", Assert.Single(bot.RepliesTo(typed)).Text);

        var byRequester = await bot.AnswerToAsync(bot.Telegram.Press(Group, Releaser, card.Id, "Approve migrations"));
        Assert.True(byRequester.ShowAlert);
        Assert.Contains("four-eyes", byRequester.Text);

        var byStranger = await bot.AnswerToAsync(bot.Telegram.Press(Group, Stranger, card.Id, "Approve migrations"));
        Assert.True(byStranger.ShowAlert);
        Assert.Contains($"telegram:{Stranger} is not an approver", byStranger.Text);

        var byApprover = await bot.AnswerToAsync(bot.Telegram.Press(Group, Approver, card.Id, "Approve migrations"));
        Assert.False(byApprover.ShowAlert);
        Assert.Contains($"Approved by telegram:{Approver}", byApprover.Text);

        var released = await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");
        Assert.Equal(card.Id, released.Id);
        Assert.Contains($"approved by User {Approver}", released.Text);
        Assert.DoesNotContain("running", released.Text);
        Assert.Empty(released.Buttons);
        // Edited in place, not posted again; how many edits depends on how the lane coalesced them.
        Assert.True(released.EditCount >= 1, $"the card was edited {released.EditCount} times");
        Assert.Single(bot.Telegram.BotMessages(Group), m => m.Html is not null && m.Text.StartsWith("Release #1", StringComparison.Ordinal));
        foreach (var app in new[] { "myloware-api", "myloware-orchestrator" })
            Assert.All(bot.Sandbox.Fly.Machines(app), m => Assert.StartsWith($"registry.fly.io/{app}:v0.2.0@sha256:", m.Image));
    }

    [Fact]
    public async Task A_failed_verification_offers_roll_back_and_pressing_it_rolls_back_and_updates_both_cards()
    {
        await using var bot = await StartAsync();
        bot.Sandbox.Faults.UnhealthyTags.Add("v0.2.0");
        bot.Telegram.Type(Group, Releaser, "/release v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        await bot.AnswerToAsync(bot.Telegram.Press(Group, Approver, card.Id, "Approve migrations"));

        // The running card offers Roll back from Migrate on; the failed card offers it again.
        var failed = await bot.CardShowingAsync("Release #1", "Failed at Verify");
        Assert.Contains(failed.Buttons, b => b.Text == "Roll back");

        // A second press, in a message of its own, since a rollback cannot be undone.
        var asked = await bot.AnswerToAsync(bot.Telegram.Press(Group, Releaser, failed.Id, "Roll back"));
        Assert.Contains("within a minute", asked.Text);
        var confirm = await bot.WaitForAsync("the confirmation", () =>
            bot.Telegram.BotMessages(Group).FirstOrDefault(m => m.Buttons.Any(b => b.Text == "Yes, roll back production")));
        Assert.Equal([Releaser], confirm.Mentions);
        var pressed = await bot.AnswerToAsync(bot.Telegram.Press(Group, Releaser, confirm.Id, "Yes, roll back production"));
        Assert.False(pressed.ShowAlert);
        Assert.Contains("Rollback #2 of production to v0.1.0 started", pressed.Text);

        var rollback = await bot.CardShowingAsync("Rollback #2", "Rolled back production to v0.1.0");
        Assert.NotEqual(card.Id, rollback.Id);
        var original = await bot.CardShowingAsync("Release #1", "rolled back by #2");
        Assert.DoesNotContain(original.Buttons, b => b.Text == "Roll back");
        foreach (var app in new[] { "myloware-api", "myloware-orchestrator" })
            Assert.All(bot.Sandbox.Fly.Machines(app), m => Assert.Equal($"registry.fly.io/{app}:v0.1.0", m.Image));
    }

    [Fact]
    public async Task The_same_update_delivered_twice_starts_one_release()
    {
        await using var bot = await StartAsync();
        var update = bot.Telegram.NewTextUpdate(Group, Releaser, "/release v0.2.0");
        bot.Telegram.Enqueue(update);
        bot.Telegram.Enqueue(update);

        await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        // Both copies are confirmed only by the poll after both were handled.
        await bot.WaitUntilAsync("both copies confirmed", () => bot.Telegram.PendingUpdates == 0);
        await bot.WhenIdleAsync();

        Assert.Single(bot.RepliesTo(update));
        Assert.Null(bot.Card("Release #2"));
        Assert.Single(await bot.ReleasesAsync());
    }
}
