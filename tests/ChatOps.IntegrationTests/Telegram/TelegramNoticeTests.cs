using ChatOps.Core.Releases;
using static ChatOps.IntegrationTests.Telegram.TelegramBotHost;

namespace ChatOps.IntegrationTests.Telegram;

/// <summary>The new messages that call people in a Telegram group: an edited card notifies nobody.</summary>
[Collection(TelegramCollection.Name)]
public sealed class TelegramNoticeTests
{
    [Fact]
    public async Task An_opened_gate_posts_a_new_message_that_mentions_the_approver_and_not_the_requester()
    {
        await using var bot = await StartAsync(new Dictionary<string, string?> { ["ChatOps:Access:Approvers:1"] = $"telegram:{Releaser}" });
        bot.Telegram.Type(Group, Releaser, "/release v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");

        var call = await bot.WaitForAsync("the call to the approvers", () =>
            bot.Telegram.BotMessages(Group).FirstOrDefault(m => m.Text.Contains("waits for your approval", StringComparison.Ordinal)));

        Assert.NotEqual(card.Id, call.Id);
        Assert.Equal([Approver], call.Mentions);
        Assert.Contains("UTC (in 30 min)", call.Text);
        Assert.Contains("/approve 1", call.Text);
    }

    [Fact]
    public async Task A_released_release_tells_the_requester_by_name_once_in_a_new_message()
    {
        await using var bot = await StartAsync();
        bot.Telegram.AddUser(Releaser, "Alice", "alice_ops");
        bot.Telegram.Type(Group, Releaser, "/release v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        await bot.AnswerToAsync(bot.Telegram.Press(Group, Approver, card.Id, "Approve migrations"));

        await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");
        await bot.WhenIdleAsync();

        var closing = Assert.Single(bot.Telegram.BotMessages(Group), m => m.Text.Contains("is released, in", StringComparison.Ordinal));
        Assert.Equal([Releaser], closing.Mentions);
        Assert.StartsWith("@alice_ops", closing.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_release_tells_the_requester_the_step_and_error_and_offers_roll_back()
    {
        await using var bot = await StartAsync();
        bot.Sandbox.Faults.UnhealthyTags.Add("v0.2.0");
        bot.Telegram.Type(Group, Releaser, "/release v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        await bot.AnswerToAsync(bot.Telegram.Press(Group, Approver, card.Id, "Approve migrations"));

        var closing = await bot.WaitForAsync("the closing message", () =>
            bot.Telegram.BotMessages(Group).FirstOrDefault(m => m.Text.Contains("❌ Failed: release #1", StringComparison.Ordinal)));

        Assert.Equal([Releaser], closing.Mentions);
        Assert.Contains("stopped at Verify", closing.Text);
        Assert.Contains("Error:", closing.Text);
        Assert.Contains(closing.Buttons, b => b.Text == "Roll back");
    }

    [Fact]
    public async Task Whoami_names_the_person_the_chat_id_and_how_to_allow_the_chat()
    {
        await using var bot = await StartAsync();
        bot.Telegram.AddUser(Releaser, "Alice", "alice_ops");
        var typed = bot.Telegram.Type(Group, Releaser, "/whoami");

        var reply = await bot.WaitForAsync("the answer to /whoami", () => bot.RepliesTo(typed).FirstOrDefault());

        Assert.Contains($"You are Alice (@alice_ops), id telegram:{Releaser}", reply.Text);
        Assert.Contains($"This chat is telegram {Group}", reply.Text);
        Assert.Contains($"Telegram:AllowedChatIds", reply.Text);
    }
}
