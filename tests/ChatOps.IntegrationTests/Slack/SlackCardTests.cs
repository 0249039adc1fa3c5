using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using ChatOps.IntegrationTests.Harness;
using static ChatOps.IntegrationTests.Slack.SlackBotHost;

namespace ChatOps.IntegrationTests.Slack;

/// <summary>The card as Slack sees it: coalesced updates, a deleted card posted again, mrkdwn escaped and within Block Kit's limits.</summary>
[Collection(SlackCollection.Name)]
public sealed class SlackCardTests
{
    private static readonly ChatChannel Room = new("slack", Channel);

    [Fact]
    public async Task A_burst_of_thirty_card_changes_becomes_a_few_updates_of_one_message_ending_on_the_last()
    {
        await using var bot = await StartAsync();
        var surface = bot.Surface;
        var ts = await surface.ShowCardAsync(Room, null, Card(1), CancellationToken.None);

        for (var step = 2; step <= 30; step++)
            Assert.Equal(ts, await surface.ShowCardAsync(Room, ts, Card(step), CancellationToken.None));

        var card = await bot.CardShowingAsync("Release #42", "step 30 of 50");
        Assert.Equal(ts, card.Ts);
        Assert.InRange(bot.Slack.CallsTo("chat.update").Count, 1, 10);
        Assert.Single(bot.Slack.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task A_deleted_card_is_posted_again_and_its_new_ts_is_returned()
    {
        await using var bot = await StartAsync();
        var surface = bot.Surface;
        var first = await surface.ShowCardAsync(Room, null, Card(1), CancellationToken.None);
        bot.Slack.DeleteMessage(Channel, first!);

        await surface.ShowCardAsync(Room, first, Card(2), CancellationToken.None);
        var reposted = await bot.CardShowingAsync("Release #42", "step 2 of 50");

        Assert.NotEqual(first, reposted.Ts);
        // The lane learns the new ts when the repost call returns, a moment after Slack shows the message.
        await Eventually.MatchesAsync(ct => surface.ShowCardAsync(Room, first, Card(3), ct), ts => ts == reposted.Ts, TimeSpan.FromSeconds(10),
            "the lane to answer with the reposted card's ts");
    }

    [Fact]
    public async Task Markup_in_a_card_is_escaped_and_a_huge_output_is_trimmed_to_block_kit_limits()
    {
        await using var bot = await StartAsync();
        var output = "Traceback <module> & friends\n" + string.Concat(Enumerable.Repeat("sqlalchemy.exc.ProgrammingError: <relation \"runs\"> & more\n", 400));
        var card = Card(7) with
        {
            Title = "Release #42 <!channel> & co",
            Details = [output, "the very end"],
            Buttons = [new CardButton("Roll back", CardAction.Rollback, "tok_123", ButtonStyle.Danger)],
        };

        await bot.Surface.ShowCardAsync(Room, null, card, CancellationToken.None);

        var shown = await bot.CardShowingAsync("Release #42", "the very end");
        Assert.Contains("Release #42 &lt;!channel&gt; &amp; co", shown.AllText);
        Assert.DoesNotContain("<!channel>", shown.AllText);
        Assert.Contains("Traceback &lt;module&gt; &amp; friends", shown.AllText);
        Assert.All(shown.BlockTexts, text => Assert.InRange(text.Length, 1, 3000));
        Assert.Equal(new SlackSimButtonShape("Roll back", "tok_123", "danger", false), Shape(Assert.Single(shown.Buttons)));
    }

    private static SlackSimButtonShape Shape(Sandbox.SlackSimButton b) => new(b.Text, b.Value, b.Style, b.HasConfirm);

    private static ReleaseCard Card(int step) => new(
        42,
        "Release #42 v0.2.0 → production",
        ReleaseState.Deploy,
        [new CardLine("Deploy", StepStatus.Running, $"{step}.0s", $"step {step} of 50")],
        ["requested by slack:U1001"],
        "▶ Deploy…",
        []);

    private sealed record SlackSimButtonShape(string Text, string Value, string? Style, bool HasConfirm);
}
