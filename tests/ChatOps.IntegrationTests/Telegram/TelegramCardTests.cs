using System.Globalization;
using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using ChatOps.Sandbox;
using static ChatOps.IntegrationTests.Telegram.TelegramBotHost;

namespace ChatOps.IntegrationTests.Telegram;

/// <summary>The card as Telegram sees it: paced edits, 429s waited out, a deleted card replaced, HTML that parses.</summary>
[Collection(TelegramCollection.Name)]
public sealed class TelegramCardTests
{
    private static readonly ChatChannel Channel = new("telegram", Group.ToString(CultureInfo.InvariantCulture));

    [Fact]
    public async Task A_burst_of_fifty_updates_reaches_telegram_at_about_one_edit_a_second_and_ends_on_the_last()
    {
        await using var bot = await StartAsync();
        var messageId = await bot.Surface.ShowCardAsync(Channel, null, Card(1), CancellationToken.None);
        for (var step = 2; step <= 50; step++)
        {
            Assert.Equal(messageId, await bot.Surface.ShowCardAsync(Channel, messageId, Card(step), CancellationToken.None));
            await Task.Delay(40);
        }

        var card = await bot.CardShowingAsync("Release #42", "step 50 of 50");
        Assert.Equal(messageId, card.Id.ToString(CultureInfo.InvariantCulture));
        var sends = bot.Telegram.Calls.Where(c => c.Method is "sendMessage" or "editMessageText").ToList();
        Assert.InRange(sends.Count, 2, 10);
        // Sent one at a time: each call is at least about a second after the one before (timer jitter allowed).
        Assert.All(sends.Zip(sends.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(0.8),
            $"{pair.Second.Method} came {(pair.Second.At - pair.First.At).TotalMilliseconds} ms after {pair.First.Method}"));
    }

    [Fact]
    public async Task A_429_is_waited_out_for_its_retry_after_and_then_the_latest_card_goes_out()
    {
        await using var bot = await StartAsync();
        var messageId = await bot.Surface.ShowCardAsync(Channel, null, Card(1), CancellationToken.None);
        bot.Telegram.FailNext("editMessageText", 429, "Too Many Requests: retry after 2", retryAfter: 2);

        await bot.Surface.ShowCardAsync(Channel, messageId, Card(2), CancellationToken.None);
        var refused = await bot.WaitForAsync("the 429", () => bot.Telegram.CallsTo("editMessageText").FirstOrDefault());
        await bot.Surface.ShowCardAsync(Channel, messageId, Card(3), CancellationToken.None);

        await bot.CardShowingAsync("Release #42", "step 3 of 50");
        var edits = bot.Telegram.CallsTo("editMessageText");
        Assert.Equal(429, refused.Status);
        Assert.True(edits[1].At - refused.At >= TimeSpan.FromSeconds(1.9), $"retried {(edits[1].At - refused.At).TotalMilliseconds} ms after the 429");
        Assert.Equal(2, edits.Count);
    }

    [Fact]
    public async Task An_edit_that_fails_more_than_five_times_in_a_row_is_kept_and_tried_again_until_the_card_shows_it()
    {
        await using var bot = await StartAsync(new Dictionary<string, string?> { ["Telegram:EditInterval"] = "00:00:00.100" });
        var messageId = await bot.Surface.ShowCardAsync(Channel, null, Card(1), CancellationToken.None);
        bot.Telegram.FailNext("editMessageText", 502, "Bad Gateway", times: 7);

        await bot.Surface.ShowCardAsync(Channel, messageId, Card(2), CancellationToken.None);

        await bot.CardShowingAsync("Release #42", "step 2 of 50");
        var edits = bot.Telegram.CallsTo("editMessageText");
        Assert.Equal(Enumerable.Repeat(502, 7).Append(200), edits.Select(e => e.Status));
    }

    [Fact]
    public async Task An_edit_that_lands_after_its_release_ended_is_followed_by_the_stored_final_card()
    {
        await using var bot = await StartAsync();
        bot.Telegram.Type(Group, Releaser, "/release v0.2.0");
        var gate = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        await bot.AnswerToAsync(bot.Telegram.Press(Group, Approver, gate.Id, "Approve migrations"));
        await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");
        await bot.WhenIdleAsync();

        // What an instance that lost the release's lease mid-step still had queued: a card of a step long over.
        var stale = new ReleaseCard(1, "Release #1 v0.2.0 → production", ReleaseState.Verify,
            [new CardLine("Verify", StepStatus.Running, "3.0s", "checking health")], [], "▶ Verify…", []);
        await bot.Surface.ShowCardAsync(Channel, gate.Id.ToString(CultureInfo.InvariantCulture), stale, CancellationToken.None);

        await bot.WaitForAsync("the stale edit", () => bot.Telegram.CallsTo("editMessageText").FirstOrDefault(c => c.Status == 200 && ((string?)c.Body["text"] ?? "").Contains("checking health", StringComparison.Ordinal)));
        var card = await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");
        Assert.Equal(gate.Id, card.Id);
        Assert.DoesNotContain("checking health", card.Text);
    }

    [Fact]
    public async Task A_deleted_card_is_posted_again_and_the_new_message_id_is_returned()
    {
        await using var bot = await StartAsync();
        var first = await bot.Surface.ShowCardAsync(Channel, null, Card(1), CancellationToken.None);
        bot.Telegram.DeleteMessage(Group, int.Parse(first!, CultureInfo.InvariantCulture));

        await bot.Surface.ShowCardAsync(Channel, first, Card(2), CancellationToken.None);
        var reposted = await bot.CardShowingAsync("Release #42", "step 2 of 50");

        Assert.NotEqual(first, reposted.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(reposted.Id.ToString(CultureInfo.InvariantCulture), await bot.Surface.ShowCardAsync(Channel, first, Card(3), CancellationToken.None));
    }

    [Fact]
    public async Task Markup_in_a_card_is_escaped_and_a_huge_output_is_trimmed_to_fit_one_message()
    {
        await using var bot = await StartAsync();
        var output = "Traceback <module> & friends\n" + string.Concat(Enumerable.Repeat("sqlalchemy.exc.ProgrammingError: <relation \"runs\"> & more\n", 400));
        var card = Card(7) with { Title = "Release #42 <v0.2.0> & co", Details = [output, "the very end"], Buttons = [new CardButton("Roll back", CardAction.Rollback, "tok_123", ButtonStyle.Danger)] };

        await bot.Surface.ShowCardAsync(Channel, null, card, CancellationToken.None);

        var shown = await bot.CardShowingAsync("Release #42 <v0.2.0> & co", "the very end");
        Assert.Contains("Traceback <module> & friends", shown.Text);
        Assert.Contains("& more", shown.Text);
        Assert.InRange(shown.Html!.Length, 1, 4096);
        Assert.Equal(new TelegramButton("Roll back", "tok_123", "danger"), Assert.Single(shown.Buttons));
    }

    private static ReleaseCard Card(int step) => new(
        42,
        "Release #42 v0.2.0 → production",
        ReleaseState.Deploy,
        [new CardLine("Deploy", StepStatus.Running, $"{step}.0s", $"step {step} of 50")],
        ["requested by telegram:1001"],
        "▶ Deploy…",
        []);
}
