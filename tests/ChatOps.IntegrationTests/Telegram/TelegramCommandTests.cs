using System.Net;
using ChatOps.Core.Releases;
using ChatOps.Sandbox;
using static ChatOps.IntegrationTests.Telegram.TelegramBotHost;

namespace ChatOps.IntegrationTests.Telegram;

/// <summary>Which updates reach the bot: by polling or by webhook, from allowed chats, addressed to this bot.</summary>
[Collection(TelegramCollection.Name)]
public sealed class TelegramCommandTests
{
    [Fact]
    public async Task Start_up_sets_the_command_menu_and_a_command_for_another_bot_is_ignored()
    {
        await using var bot = await StartAsync();
        await bot.WaitUntilAsync("the command menu", () => bot.Telegram.Commands.Any(c => c.Command == "release"));
        Assert.Contains(bot.Telegram.Commands, c => c.Command == "whoami");

        var forOther = bot.Telegram.Type(Group, Releaser, "/whoami@SomeOtherBot");
        var forUs = bot.Telegram.Type(Group, Releaser, $"/whoami@{bot.Telegram.Bot.Username!.ToUpperInvariant()}");

        var reply = await bot.WaitForAsync("the /whoami reply", () => bot.RepliesTo(forUs).FirstOrDefault());
        Assert.Contains($"id telegram:{Releaser}", reply.Text);
        Assert.Empty(bot.RepliesTo(forOther));
    }

    [Fact]
    public async Task A_command_that_fails_on_an_outside_call_is_answered_with_what_the_outside_system_said()
    {
        await using var bot = await StartAsync();
        bot.Sandbox.Faults.FailNextGitHubCalls(20, 500);
        var dryRun = bot.Telegram.Type(Group, Releaser, "/release v0.2.0 --dry-run");

        var reply = await bot.WaitForAsync("the failure reply", () => bot.RepliesTo(dryRun).FirstOrDefault());

        Assert.StartsWith("That did not work: GitHub answered 500", reply.Text);
        Assert.DoesNotContain(TelegramSimulator.DefaultToken, reply.Text);
    }

    [Fact]
    public async Task A_reply_that_Telegram_fails_with_a_server_error_is_sent_again_and_arrives_once()
    {
        await using var bot = await StartAsync();
        // Found by the fault suite: the reply was lost, and the update logged as one that could not be handled.
        bot.Telegram.FailNext("sendMessage", 502, "Bad Gateway");
        var whoami = bot.Telegram.Type(Group, Releaser, "/whoami");

        var reply = await bot.WaitForAsync("the /whoami reply", () => bot.RepliesTo(whoami).FirstOrDefault());

        Assert.Contains($"id telegram:{Releaser}", reply.Text);
        Assert.Single(bot.RepliesTo(whoami));
        Assert.Equal(2, bot.Telegram.CallsTo("sendMessage").Count);
    }

    [Fact]
    public async Task Updates_from_a_chat_outside_the_allowed_list_are_ignored()
    {
        const long otherChat = -1009999999999;
        await using var bot = await StartAsync(new Dictionary<string, string?> { ["Telegram:AllowedChatIds:0"] = Group.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var outside = bot.Telegram.Type(otherChat, Releaser, "/release v0.2.0");
        var inside = bot.Telegram.Type(Group, Releaser, "/whoami");

        await bot.WaitForAsync("the /whoami reply", () => bot.RepliesTo(inside).FirstOrDefault());
        Assert.Empty(bot.RepliesTo(outside, otherChat));
        Assert.Empty(bot.Telegram.BotMessages(otherChat));
        Assert.Empty(await bot.ReleasesAsync());
    }

    [Fact]
    public async Task Over_the_webhook_a_reply_to_a_free_chat_rides_on_the_answer_and_the_next_within_the_spacing_goes_by_the_API()
    {
        const string secret = "webhook_Secret-42";
        await using var bot = await StartAsync(new Dictionary<string, string?>
        {
            ["Telegram:WebhookUrl"] = "https://bot.example.com/telegram/webhook",
            ["Telegram:WebhookSecret"] = secret,
            ["Telegram:EditInterval"] = "00:00:05",
        });
        await bot.WaitForAsync("setWebhook", () => bot.Telegram.Webhook);
        var whoami = bot.Telegram.NewTextUpdate(Group, Releaser, "/whoami");

        Assert.Equal(HttpStatusCode.OK, await bot.Telegram.DeliverAsync(bot.WebhookUrl, whoami, secret));

        Assert.Contains($"id telegram:{Releaser}", Assert.Single(bot.RepliesTo(whoami)).Text);
        Assert.True(Assert.Single(bot.Telegram.CallsTo("sendMessage")).InWebhookAnswer);

        // The answer took the chat's turn: a reply within the spacing waits for it and goes by the API, as cards do.
        var help = bot.Telegram.NewTextUpdate(Group, Releaser, "/help");
        Assert.Equal(HttpStatusCode.OK, await bot.Telegram.DeliverAsync(bot.WebhookUrl, help, secret));

        Assert.Single(bot.RepliesTo(help));
        Assert.Equal([true, false], bot.Telegram.CallsTo("sendMessage").Select(c => c.InWebhookAnswer));
    }

    [Fact]
    public async Task The_webhook_handles_an_update_with_the_secret_and_refuses_one_without_it()
    {
        const string secret = "webhook_Secret-42";
        await using var bot = await StartAsync(new Dictionary<string, string?>
        {
            ["Telegram:WebhookUrl"] = "https://bot.example.com/telegram/webhook",
            ["Telegram:WebhookSecret"] = secret,
        });
        var webhook = await bot.WaitForAsync("setWebhook", () => bot.Telegram.Webhook);
        Assert.Equal(new TelegramWebhook("https://bot.example.com/telegram/webhook", secret), webhook);
        var update = bot.Telegram.NewTextUpdate(Group, Releaser, "/release v0.2.0");

        Assert.Equal(HttpStatusCode.Unauthorized, await TelegramSimulator.PostWebhookAsync(bot.WebhookUrl, update, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await TelegramSimulator.PostWebhookAsync(bot.WebhookUrl, update, "webhook_Secret-43"));
        Assert.Empty(bot.Telegram.BotMessages(Group));
        Assert.Empty(await bot.ReleasesAsync());

        Assert.Equal(HttpStatusCode.OK, await bot.Telegram.DeliverAsync(bot.WebhookUrl, update, secret));
        await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        // Telegram redelivers when it thinks a call failed: the second copy is acknowledged and changes nothing.
        Assert.Equal(HttpStatusCode.OK, await bot.Telegram.DeliverAsync(bot.WebhookUrl, update, secret));
        await bot.WhenIdleAsync();

        Assert.Single(bot.RepliesTo(update));
        Assert.Null(bot.Card("Release #2"));
        Assert.Empty(bot.Telegram.CallsTo("getUpdates"));
    }
}
