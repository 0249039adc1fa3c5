using ChatOps.Core.Commands;
using ChatOps.Core.Releases;
using ChatOps.IntegrationTests.Harness;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using static ChatOps.IntegrationTests.Telegram.TelegramBotHost;

namespace ChatOps.IntegrationTests.Telegram;

/// <summary>What cannot be undone, typed in a Telegram group, waits for a "Yes, …" press that expires after a minute.</summary>
[Collection(TelegramCollection.Name)]
public sealed class TelegramConfirmationTests
{
    private static async Task<TelegramBotHost> ReleasedAsync(AheadClock? clock = null)
    {
        var bot = await StartAsync(configure: clock is null ? null : services => services.AddSingleton<TimeProvider>(clock));
        bot.Telegram.Type(Group, Releaser, "/release v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        await bot.AnswerToAsync(bot.Telegram.Press(Group, Approver, card.Id, "Approve migrations"));
        await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");
        await bot.WhenIdleAsync();
        return bot;
    }

    private static Task<TelegramMessage> QuestionAsync(TelegramBotHost bot, string label, int skip = 0) =>
        bot.WaitForAsync($"the question with \"{label}\"", () =>
            bot.Telegram.BotMessages(Group).Where(m => m.Buttons.Any(b => b.Text == label)).Skip(skip).FirstOrDefault());

    private static void AssertEverythingOn(TelegramBotHost bot, string tag)
    {
        foreach (var app in new[] { "myloware-api", "myloware-orchestrator" })
            Assert.All(bot.Sandbox.Fly.Machines(app), m => Assert.Equal(tag, ChatOps.Core.Commands.StatusReporter.TagOf(m.Image)));
    }

    [Fact]
    public async Task A_typed_rollback_asks_for_a_second_press_and_only_the_yes_press_rolls_back()
    {
        await using var bot = await ReleasedAsync();

        var typed = bot.Telegram.Type(Group, Releaser, "/rollback");

        var reply = await bot.WaitForAsync("the answer to /rollback", () => bot.RepliesTo(typed).FirstOrDefault());
        Assert.Contains("Confirm with \"Yes, roll back production\" within a minute", reply.Text);
        var question = await QuestionAsync(bot, "Yes, roll back production");
        Assert.Equal([Releaser], question.Mentions);
        Assert.Contains("production goes back to v0.1.0", question.Text);
        Assert.Contains("UTC (in 1 min)", question.Text);
        Assert.Single(await bot.ReleasesAsync());
        AssertEverythingOn(bot, "v0.2.0");

        var pressed = await bot.AnswerToAsync(bot.Telegram.Press(Group, Releaser, question.Id, "Yes, roll back production"));

        Assert.False(pressed.ShowAlert, pressed.Text);
        Assert.Contains("Rollback #2 of production to v0.1.0 started", pressed.Text);
        await bot.CardShowingAsync("Rollback #2", "Rolled back production to v0.1.0");
        AssertEverythingOn(bot, "v0.1.0");
    }

    [Fact]
    public async Task A_yes_pressed_after_its_minute_is_refused_and_nothing_moves()
    {
        var clock = new AheadClock();
        await using var bot = await ReleasedAsync(clock);
        bot.Telegram.Type(Group, Releaser, "/rollback");
        var question = await QuestionAsync(bot, "Yes, roll back production");

        clock.MoveAhead(TimeSpan.FromSeconds(61));
        var late = await bot.AnswerToAsync(bot.Telegram.Press(Group, Releaser, question.Id, "Yes, roll back production"));

        Assert.True(late.ShowAlert);
        Assert.Contains("expired", late.Text);
        Assert.Contains("Type /rollback production again", late.Text);
        await bot.WhenIdleAsync();
        Assert.Single(await bot.ReleasesAsync());
        AssertEverythingOn(bot, "v0.2.0");
    }

    [Fact]
    public async Task A_forced_unlock_asks_a_stranger_and_a_late_press_are_refused_and_a_timely_yes_lifts_the_lock()
    {
        var clock = new AheadClock();
        await using var bot = await StartAsync(configure: services => services.AddSingleton<TimeProvider>(clock));
        var locked = bot.Telegram.Type(Group, Releaser, "/lock payments incident");
        await bot.WaitForAsync("the lock", () => bot.RepliesTo(locked).FirstOrDefault());

        bot.Telegram.Type(Group, Approver, "/unlock --force");
        var first = await QuestionAsync(bot, "Yes, force unlock production");
        Assert.Equal([Approver], first.Mentions);
        Assert.Contains($"telegram:{Releaser} locked it", first.Text);
        Assert.Contains("payments incident", first.Text);

        var byStranger = await bot.AnswerToAsync(bot.Telegram.Press(Group, Stranger, first.Id, "Yes, force unlock production"));
        clock.MoveAhead(TimeSpan.FromSeconds(61));
        var late = await bot.AnswerToAsync(bot.Telegram.Press(Group, Approver, first.Id, "Yes, force unlock production"));

        Assert.True(byStranger.ShowAlert);
        Assert.Contains("Only they can unlock it", byStranger.Text);
        Assert.True(late.ShowAlert);
        Assert.Contains("expired", late.Text);
        var status = bot.Telegram.Type(Group, Approver, "/status");
        Assert.Contains("locked by", (await bot.WaitForAsync("the status", () => bot.RepliesTo(status).FirstOrDefault())).Text);

        bot.Telegram.Type(Group, Approver, "/unlock --force");
        var second = await QuestionAsync(bot, "Yes, force unlock production", skip: 1);
        var pressed = await bot.AnswerToAsync(bot.Telegram.Press(Group, Approver, second.Id, "Yes, force unlock production"));

        Assert.False(pressed.ShowAlert, pressed.Text);
        Assert.Contains($"production unlocked by telegram:{Approver} (forced", pressed.Text);
    }

    [Fact]
    public async Task Help_for_rollback_shows_its_usage_and_examples()
    {
        await using var bot = await StartAsync();

        var typed = bot.Telegram.Type(Group, Releaser, "/help rollback");

        var reply = await bot.WaitForAsync("the help", () => bot.RepliesTo(typed).FirstOrDefault());
        Assert.Contains("Usage: /rollback [env] [--to <tag>] [--with-db] [--check]", reply.Text);
        Assert.Contains("Examples:", reply.Text);
        Assert.Contains("/rollback --check", reply.Text);
        Assert.Contains("/rollback staging --to v0.1.0", reply.Text);
    }
}
