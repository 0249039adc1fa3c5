using ChatOps.Core.Releases;
using static ChatOps.IntegrationTests.Slack.SlackBotHost;

namespace ChatOps.IntegrationTests.Slack;

/// <summary>The new messages that call people in a Slack channel, with <c>&lt;@U…&gt;</c> mentions.</summary>
[Collection(SlackCollection.Name)]
public sealed class SlackNoticeTests
{
    [Fact]
    public async Task An_opened_gate_calls_the_approver_and_the_end_tells_the_requester_once()
    {
        await using var bot = await StartAsync(settings: new Dictionary<string, string?> { ["ChatOps:Access:Approvers:1"] = $"slack:{Releaser}" });
        await bot.Slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");

        var call = await bot.WaitForAsync("the call to the approvers", () =>
            bot.Slack.Messages(Channel).FirstOrDefault(m => m.Text.Contains("waits for your approval", StringComparison.Ordinal)));
        Assert.NotEqual(card.Ts, call.Ts);
        Assert.Null(call.ThreadTs);
        Assert.Equal([Approver], call.Mentions);
        // In each reader's zone, with the UTC text for clients that cannot show it.
        Assert.Matches(@"<!date\^\d+\^\{date_short_pretty\} \{time\}\|\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC> \(in 30 min\)", call.Text);

        await bot.ReplyToAsync(await bot.Slack.ClickAsync(Approver, card, "Approve migrations"));
        await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");
        await bot.WhenIdleAsync();

        var closing = Assert.Single(bot.Slack.Messages(Channel), m => m.Text.Contains("is released, in", StringComparison.Ordinal));
        Assert.Equal([Releaser], closing.Mentions);
    }
}
