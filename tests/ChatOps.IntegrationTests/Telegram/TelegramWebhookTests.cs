using System.Net;
using System.Text.Json.Nodes;
using ChatOps.Host.ChatLanes;
using ChatOps.Sandbox;
using static ChatOps.IntegrationTests.Telegram.TelegramBotHost;

namespace ChatOps.IntegrationTests.Telegram;

/// <summary>
/// Issue 22, item 12: in webhook mode Telegram is answered at once. A command runs in the chat inbox; its reply rides
/// on the webhook's answer only when it is ready within the reply budget, and goes through the API otherwise.
/// </summary>
[Collection(TelegramCollection.Name)]
public sealed class TelegramWebhookTests
{
    private const string Secret = "webhook_Secret-42";

    // Long enough for a test that waits on it to fail rather than hang when the webhook answers only after the work.
    private static readonly TimeSpan NoLongerThan = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("/status", Releaser, "Fly")]
    [InlineData("/doctor", Approver, "GitHub")]
    [InlineData("/release v0.2.0 --dry-run", Releaser, "GitHub")]
    public async Task A_slow_command_is_acknowledged_within_the_budget_and_answered_through_the_API(string command, long person, string slowSystem)
    {
        await using var bot = await StartWebhookAsync("00:00:00.5");
        var hold = slowSystem == "Fly" ? bot.Sandbox.Faults.FlyHold : bot.Sandbox.Faults.GitHubHold;
        hold.Close();
        var update = bot.Telegram.NewTextUpdate(Group, person, command);

        using var limit = new CancellationTokenSource(NoLongerThan);
        Assert.Equal(HttpStatusCode.OK, await bot.Telegram.DeliverAsync(bot.WebhookUrl, update, Secret, limit.Token));

        await hold.Reached.WaitAsync(NoLongerThan);
        Assert.Empty(bot.RepliesTo(update));
        hold.Release();
        var reply = await bot.WaitForAsync($"the reply to {command}", () => bot.RepliesTo(update).FirstOrDefault());
        Assert.DoesNotContain("That did not work", reply.Text, StringComparison.Ordinal);
        Assert.False(ReplyCall(bot, update).InWebhookAnswer);
    }

    [Fact]
    public async Task A_button_press_over_the_webhook_is_answered_while_a_status_in_the_same_chat_still_waits_for_fly()
    {
        await using var bot = await StartWebhookAsync("00:00:00.5");
        Assert.Equal(HttpStatusCode.OK, await bot.Telegram.DeliverAsync(bot.WebhookUrl, bot.Telegram.NewTextUpdate(Group, Releaser, "/release v0.2.0"), Secret));
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        bot.Sandbox.Faults.FlyHold.Close();
        var status = bot.Telegram.NewTextUpdate(Group, Releaser, "/status");
        using var limit = new CancellationTokenSource(NoLongerThan);
        Assert.Equal(HttpStatusCode.OK, await bot.Telegram.DeliverAsync(bot.WebhookUrl, status, Secret, limit.Token));
        await bot.Sandbox.Faults.FlyHold.Reached;

        var press = bot.Telegram.NewButtonUpdate(Group, Approver, card.Id, "Approve migrations");
        Assert.Equal(HttpStatusCode.OK, await bot.Telegram.DeliverAsync(bot.WebhookUrl, press, Secret, limit.Token));
        var answer = await bot.AnswerToAsync(press);

        Assert.Contains($"Approved by telegram:{Approver}", answer.Text);
        Assert.Empty(bot.RepliesTo(status));
        bot.Sandbox.Faults.FlyHold.Release();
        await bot.WaitForAsync("the reply to /status", () => bot.RepliesTo(status).FirstOrDefault());
        await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");
    }

    [Fact]
    public async Task A_reply_whose_webhook_answer_Telegram_hung_up_on_is_sent_through_the_API_and_a_redelivery_adds_none()
    {
        // A budget far longer than the test waits: only Telegram hanging up ends the request.
        await using var bot = await StartWebhookAsync("00:00:30");
        bot.Sandbox.Faults.FlyHold.Close();
        var status = bot.Telegram.NewTextUpdate(Group, Releaser, "/status");
        using var hangUp = new CancellationTokenSource();
        var delivery = bot.Telegram.DeliverAsync(bot.WebhookUrl, status, Secret, hangUp.Token);
        // Hung up before the update was taken, it would be Telegram's to deliver again; the point is one taken already.
        await bot.WaitUntilAsync("the update taken into the inbox", () => bot.Get<ChatInbox>().Pending > 0);
        await bot.Sandbox.Faults.FlyHold.Reached;

        await hangUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delivery);
        bot.Sandbox.Faults.FlyHold.Release();

        var reply = await bot.WaitForAsync("the reply to /status", () => bot.RepliesTo(status).FirstOrDefault());
        Assert.Contains("production", reply.Text);
        Assert.False(ReplyCall(bot, status).InWebhookAnswer);
        // Telegram delivers an update again when it got no answer: it was claimed, so nothing more is said.
        Assert.Equal(HttpStatusCode.OK, await bot.Telegram.DeliverAsync(bot.WebhookUrl, status, Secret));
        Assert.Single(bot.RepliesTo(status));
        Assert.Single(bot.Telegram.CallsTo("sendMessage"), c => IsReplyTo(c, status));
    }

    [Fact]
    public async Task A_command_still_waiting_for_fly_when_the_host_stops_is_said_lost_through_the_API()
    {
        await using var bot = await StartWebhookAsync("00:00:00.5");
        bot.Sandbox.Faults.FlyHold.Close();
        var status = bot.Telegram.NewTextUpdate(Group, Releaser, "/status");
        Assert.Equal(HttpStatusCode.OK, await bot.Telegram.DeliverAsync(bot.WebhookUrl, status, Secret));
        await bot.Sandbox.Faults.FlyHold.Reached;

        // Fly never answers: the shutdown's grace runs out and the command is cancelled. Telegram was answered 200,
        // so it will not deliver the update again.
        await bot.App.Web.StopAsync();
        bot.Sandbox.Faults.FlyHold.Release();

        var reply = Assert.Single(bot.RepliesTo(status));
        Assert.Contains("ChatOps restarted before it finished /status", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quick_reply_rides_on_the_webhook_answer()
    {
        await using var bot = await StartWebhookAsync(null);
        var whoami = bot.Telegram.NewTextUpdate(Group, Releaser, "/whoami");

        Assert.Equal(HttpStatusCode.OK, await bot.Telegram.DeliverAsync(bot.WebhookUrl, whoami, Secret));

        Assert.Contains($"id telegram:{Releaser}", Assert.Single(bot.RepliesTo(whoami)).Text);
        Assert.True(ReplyCall(bot, whoami).InWebhookAnswer);
    }

    private static async Task<TelegramBotHost> StartWebhookAsync(string? budget)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Telegram:WebhookUrl"] = "https://bot.example.com/telegram/webhook",
            ["Telegram:WebhookSecret"] = Secret,
        };
        if (budget is not null)
            settings["Telegram:WebhookReplyBudget"] = budget;
        var bot = await StartAsync(settings);
        await bot.WaitForAsync("setWebhook", () => bot.Telegram.Webhook);
        return bot;
    }

    private static TelegramCall ReplyCall(TelegramBotHost bot, JsonObject update) =>
        Assert.Single(bot.Telegram.CallsTo("sendMessage"), c => IsReplyTo(c, update));

    private static bool IsReplyTo(TelegramCall call, JsonObject update) =>
        call.Body["reply_parameters"]?["message_id"]?.GetValue<int>() == (int)update["message"]!["message_id"]!;
}
