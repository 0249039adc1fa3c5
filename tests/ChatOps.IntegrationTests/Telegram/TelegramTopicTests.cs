using static ChatOps.IntegrationTests.Telegram.TelegramBotHost;

namespace ChatOps.IntegrationTests.Telegram;

/// <summary>A forum supergroup: a command typed in a topic is answered there, and its release card lives there.</summary>
[Collection(TelegramCollection.Name)]
public sealed class TelegramTopicTests
{
    private const int Topic = 42;

    [Fact]
    public async Task A_release_asked_for_in_a_topic_is_answered_carded_and_edited_in_that_topic()
    {
        await using var bot = await StartAsync();
        var typed = bot.Telegram.TypeInTopic(Group, Topic, Releaser, "/release v0.2.0");

        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        var reply = Assert.Single(bot.RepliesTo(typed));
        Assert.Equal(Topic, reply.ThreadId);
        Assert.Equal(Topic, card.ThreadId);

        await bot.AnswerToAsync(bot.Telegram.Press(Group, Approver, card.Id, "Approve migrations"));
        var released = await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");

        Assert.Equal(card.Id, released.Id);
        Assert.True(released.EditCount >= 1);
        Assert.Equal(Topic, released.ThreadId);
        await bot.WhenIdleAsync();
        // Every message the bot sent for the release (reply, card, the approvers' call, the closing note) is in the topic.
        Assert.All(bot.Telegram.BotMessages(Group), m => Assert.Equal(Topic, m.ThreadId));
    }

    [Fact]
    public async Task A_press_on_a_card_in_a_topic_asks_its_confirmation_in_that_topic()
    {
        await using var bot = await StartAsync();
        bot.Sandbox.Faults.UnhealthyTags.Add("v0.2.0");
        bot.Telegram.TypeInTopic(Group, Topic, Releaser, "/release v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        await bot.AnswerToAsync(bot.Telegram.Press(Group, Approver, card.Id, "Approve migrations"));
        var failed = await bot.CardShowingAsync("Release #1", "Failed at Verify");

        await bot.AnswerToAsync(bot.Telegram.Press(Group, Releaser, failed.Id, "Roll back"));
        var confirm = await bot.WaitForAsync("the confirmation", () =>
            bot.Telegram.BotMessages(Group).FirstOrDefault(m => m.Buttons.Any(b => b.Text == "Yes, roll back production")));

        Assert.Equal(Topic, confirm.ThreadId);
        Assert.Equal(Topic, failed.ThreadId);
    }

    [Fact]
    public async Task Over_the_webhook_a_reply_riding_on_the_answer_names_the_topic_too()
    {
        const string secret = "webhook_Secret-42";
        await using var bot = await StartAsync(new Dictionary<string, string?>
        {
            ["Telegram:WebhookUrl"] = "https://bot.example.com/telegram/webhook",
            ["Telegram:WebhookSecret"] = secret,
        });
        await bot.WaitForAsync("setWebhook", () => bot.Telegram.Webhook);
        var whoami = bot.Telegram.NewTextUpdate(Group, Releaser, "/whoami", Topic);

        Assert.Equal(System.Net.HttpStatusCode.OK, await bot.Telegram.DeliverAsync(bot.WebhookUrl, whoami, secret));

        Assert.Equal(Topic, Assert.Single(bot.RepliesTo(whoami)).ThreadId);
        Assert.True(Assert.Single(bot.Telegram.CallsTo("sendMessage")).InWebhookAnswer);
    }

    [Fact]
    public async Task A_command_outside_any_topic_is_answered_outside_too()
    {
        await using var bot = await StartAsync();
        var inTopic = bot.Telegram.TypeInTopic(Group, Topic, Releaser, "/whoami");
        var typed = bot.Telegram.Type(Group, Releaser, "/whoami");

        var reply = await bot.WaitForAsync("the reply", () => bot.RepliesTo(typed).FirstOrDefault());
        var topicReply = await bot.WaitForAsync("the reply in the topic", () => bot.RepliesTo(inTopic).FirstOrDefault());

        Assert.Null(reply.ThreadId);
        Assert.Equal(Topic, topicReply.ThreadId);
        // The allow list names the chat, not the topic.
        Assert.Contains($"Telegram__AllowedChatIds__0={Group})", topicReply.Text);
    }
}
