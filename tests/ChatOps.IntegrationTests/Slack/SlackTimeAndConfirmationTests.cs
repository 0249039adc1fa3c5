using System.Text.RegularExpressions;
using ChatOps.Core.Releases;
using static ChatOps.IntegrationTests.Slack.SlackBotHost;

namespace ChatOps.IntegrationTests.Slack;

/// <summary>On Slack, moments are shown in each reader's zone, with the UTC text as fallback; a typed /rollback waits for "Yes, …".</summary>
[Collection(SlackCollection.Name)]
public sealed class SlackTimeAndConfirmationTests
{
    // <!date^unix^{tokens}|fallback>, the fallback being the moment as Telegram and the console show it.
    private static readonly Regex SlackDatePattern = new(@"<!date\^(\d+)\^\{date_short_pretty\} \{time(?:_secs)?\}\|(\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})? UTC)>");

    private static Regex SlackDate() => SlackDatePattern;

    private static void AssertSlackDate(string text, DateTimeOffset near)
    {
        var date = SlackDate().Match(text);
        Assert.True(date.Success, $"no <!date^…|… UTC> in: {text}");
        var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(date.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(at, near - TimeSpan.FromHours(1), near + TimeSpan.FromHours(1));
        Assert.Equal(at.UtcDateTime.ToString(date.Groups[2].Value.Length > 20 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC",
            date.Groups[2].Value);
    }

    [Fact]
    public async Task A_card_at_the_gate_shows_when_it_expires_in_the_readers_zone_with_a_utc_fallback()
    {
        await using var bot = await StartAsync();
        await bot.Slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0");

        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");

        Assert.Contains("Expires <!date^", card.AllText);
        AssertSlackDate(card.AllText, DateTimeOffset.UtcNow + TimeSpan.FromMinutes(30));
        var call = await bot.WaitForAsync("the call to the approvers", () =>
            bot.Slack.Messages(Channel).FirstOrDefault(m => m.Text.Contains("waits for your approval", StringComparison.Ordinal)));
        AssertSlackDate(call.Text, DateTimeOffset.UtcNow + TimeSpan.FromMinutes(30));
        Assert.Contains("(in 30 min)", call.Text);
    }

    [Fact]
    public async Task Status_of_a_locked_environment_shows_the_lock_times_in_the_readers_zone()
    {
        await using var bot = await StartAsync();
        await bot.ReplyToAsync(await bot.Slack.CommandAsync(Releaser, Channel, "/lock", "payments incident --for 2h"));

        var status = await bot.ReplyToAsync(await bot.Slack.CommandAsync(Releaser, Channel, "/status", ""));

        Assert.Contains("locked by", status.Text);
        Assert.Equal(2, SlackDate().Matches(status.Text).Count);
        AssertSlackDate(status.Text, DateTimeOffset.UtcNow);
        Assert.DoesNotContain("```", status.Text);
    }

    [Fact]
    public async Task A_slash_rollback_asks_for_yes_and_only_the_yes_click_rolls_back()
    {
        await using var bot = await StartAsync();
        await bot.Slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        await bot.ReplyToAsync(await bot.Slack.ClickAsync(Approver, card, "Approve migrations"));
        await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");

        var asked = await bot.ReplyToAsync(await bot.Slack.CommandAsync(Releaser, Channel, "/rollback", ""));

        Assert.Contains("Confirm with \"Yes, roll back production\" within a minute", asked.Text);
        var question = await bot.WaitForAsync("the question", () =>
            bot.Slack.Messages(Channel).FirstOrDefault(m => m.Buttons.Any(b => b.Text == "Yes, roll back production")));
        Assert.Equal([Releaser], question.Mentions);
        Assert.Equal("danger", question.Buttons.Single().Style);
        AssertSlackDate(question.Text, DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
        Assert.Single(await bot.ReleasesAsync());

        var byStranger = await bot.ReplyToAsync(await bot.Slack.ClickAsync(Stranger, question, "Yes, roll back production"));
        var pressed = await bot.ReplyToAsync(await bot.Slack.ClickAsync(Releaser, question, "Yes, roll back production"));

        Assert.StartsWith("⛔", byStranger.Text);
        Assert.Contains("Rollback #2 of production to v0.1.0 started", pressed.Text);
        await bot.CardShowingAsync("Rollback #2", "Rolled back production to v0.1.0");
        foreach (var app in new[] { "myloware-api", "myloware-orchestrator" })
            Assert.All(bot.Sandbox.Fly.Machines(app), m => Assert.Equal($"registry.fly.io/{app}:v0.1.0", m.Image));
    }
}
