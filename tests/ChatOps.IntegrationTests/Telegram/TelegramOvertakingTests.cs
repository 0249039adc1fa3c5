using ChatOps.Core.Releases;
using static ChatOps.IntegrationTests.Telegram.TelegramBotHost;

namespace ChatOps.IntegrationTests.Telegram;

/// <summary>Issue 14, item 2 over Telegram: a button press never waits behind a command that waits on Fly.</summary>
[Collection(TelegramCollection.Name)]
public sealed class TelegramOvertakingTests
{
    [Fact]
    public async Task An_approve_press_is_answered_while_a_status_in_the_same_chat_still_waits_for_fly()
    {
        await using var bot = await StartAsync();
        bot.Telegram.Type(Group, Releaser, "/release v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        bot.Sandbox.Faults.FlyHold.Close();
        var status = bot.Telegram.Type(Group, Releaser, "/status");
        await bot.Sandbox.Faults.FlyHold.Reached;

        var answer = await bot.AnswerToAsync(bot.Telegram.Press(Group, Approver, card.Id, "Approve migrations"));

        Assert.Contains($"Approved by telegram:{Approver}", answer.Text);
        Assert.Empty(bot.RepliesTo(status));
        bot.Sandbox.Faults.FlyHold.Release();
        await bot.WaitForAsync("the reply to /status", () => bot.RepliesTo(status).FirstOrDefault());
        var calls = bot.Telegram.Calls;
        var answered = calls.ToList().FindIndex(c => c.Method == "answerCallbackQuery");
        var replied = calls.ToList().FindIndex(c => c.Method == "sendMessage" && c.Body["reply_parameters"]?["message_id"]?.GetValue<int>() == (int)status["message"]!["message_id"]!);
        Assert.True(answered >= 0 && replied > answered, $"answerCallbackQuery was call {answered}, the /status reply call {replied}");
        await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");
    }
}
