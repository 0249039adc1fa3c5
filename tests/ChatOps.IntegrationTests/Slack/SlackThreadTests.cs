using ChatOps.Core.Cards;
using ChatOps.Core.Releases;
using ChatOps.IntegrationTests.Durability;
using ChatOps.IntegrationTests.Store;
using ChatOps.Sandbox;
using static ChatOps.IntegrationTests.Slack.SlackBotHost;

namespace ChatOps.IntegrationTests.Slack;

/// <summary>A step's detail goes in its card's thread; the channel itself shows the card and the messages that call people.</summary>
[Collection(SlackCollection.Name)]
public sealed class SlackThreadTests
{
    // The sandbox's production: two services of two machines each.
    private const int Machines = 4;

    [Fact]
    public async Task A_release_says_its_migration_output_and_deploy_progress_in_the_cards_thread_and_the_channel_shows_only_the_card_the_call_and_the_closing_message()
    {
        await using var bot = await StartAsync();
        await bot.Slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        await bot.ReplyToAsync(await bot.Slack.ClickAsync(Approver, card, "Approve migrations"));
        await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");
        await bot.WhenIdleAsync();

        var thread = await ThreadWithAsync(bot, card.Ts, "on v0.2.0, started and healthy", Machines);

        Assert.Collection(bot.Slack.TopLevel(Channel),
            m => Assert.Equal(card.Ts, m.Ts),
            m => Assert.Equal([Approver], m.Mentions),
            m => Assert.Contains("is released, in", m.Text));
        Assert.All(thread, m => Assert.Equal(card.Ts, m.ThreadTs));
        var lines = Lines(thread);
        Assert.Contains(lines, l => l.StartsWith("*Migrate* applying 2 revisions up to", StringComparison.Ordinal));
        var console = Assert.Single(thread, m => m.Text.Contains("*Migrate* `alembic upgrade head` exited 0", StringComparison.Ordinal));
        Assert.Contains("\n```INFO  [alembic.runtime.migration]", console.Text);
        Assert.Contains("Running upgrade", console.Text);
        foreach (var app in new[] { "myloware-api", "myloware-orchestrator" })
        {
            foreach (var machine in bot.Sandbox.Fly.Machines(app))
                Assert.Contains(lines, l => l.StartsWith("*Deploy* ", StringComparison.Ordinal) && l.Contains($"machine {machine.Id} (", StringComparison.Ordinal) && l.EndsWith("on v0.2.0, started and healthy", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Lines_said_while_the_channel_is_busy_go_out_together_one_reply_per_thread_in_order()
    {
        await using var bot = await StartAsync();
        var (first, second) = (await ParentAsync(bot, "first card"), await ParentAsync(bot, "second card"));

        // Said at once, as a deploy of many machines would: the first reply may carry the first line alone, and
        // everything said meanwhile waits for the channel's next turn.
        for (var i = 1; i <= 10; i++)
        {
            await bot.Surface.ShowDetailAsync(new("slack", Channel), first, new StepDetail(1, "Deploy", $"line {i}"), CancellationToken.None);
            await bot.Surface.ShowDetailAsync(new("slack", Channel), second, new StepDetail(2, "Deploy", $"line {i}"), CancellationToken.None);
        }

        foreach (var parent in new[] { first, second })
        {
            var thread = await ThreadWithAsync(bot, parent, "*Deploy* line", 10);
            Assert.Equal([.. Enumerable.Range(1, 10).Select(i => $"*Deploy* line {i}")], Lines(thread));
        }
        Assert.InRange(bot.Slack.CallsTo("chat.postMessage").Count(c => c.Body["thread_ts"] is not null), 2, 3);
    }

    [Fact]
    public async Task A_thread_reply_that_Slack_rate_limits_or_fails_for_a_moment_is_sent_again()
    {
        await using var bot = await StartAsync();
        var parent = await ParentAsync(bot, "card");
        bot.Slack.FailNext("chat.postMessage", "ratelimited", status: 429, retryAfter: 1);
        bot.Slack.FailNext("chat.postMessage", "internal_error");

        await bot.Surface.ShowDetailAsync(new("slack", Channel), parent, new StepDetail(1, "Verify", "api unhealthy") { IsError = true }, CancellationToken.None);

        var thread = await ThreadWithAsync(bot, parent, "❌ *Verify* api unhealthy", 1);
        Assert.Single(thread);
        var posts = bot.Slack.CallsTo("chat.postMessage").Where(c => (string?)c.Body["thread_ts"] == parent).ToList();
        Assert.Equal([429, 200, 200], posts.Select(c => c.Status));
        Assert.Equal("internal_error", posts[1].Error);
    }

    [Fact]
    public async Task A_failed_migration_says_its_console_and_its_error_in_the_cards_thread()
    {
        await using var bot = await StartAsync();
        bot.Sandbox.Faults.FailMigration = true;
        await bot.Slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        await bot.ReplyToAsync(await bot.Slack.ClickAsync(Approver, card, "Approve migrations"));

        var thread = await ThreadWithAsync(bot, card.Ts, "❌ *Migrate* failed: ", 1);
        var release = await bot.ReleaseAsync(1);

        Assert.False(release.IsActive && release.State != ReleaseState.NeedsAttention, $"the release is {release.State}");
        var lines = Lines(thread);
        var error = Assert.Single(lines, l => l.StartsWith("❌ *Migrate* failed: ", StringComparison.Ordinal));
        Assert.Contains("`alembic upgrade head` exited 1", error);
        Assert.Contains(thread, m => m.Text.Contains("*Migrate* `alembic upgrade head` exited 1\n```", StringComparison.Ordinal)
            && m.Text.Contains("DuplicateTable", StringComparison.Ordinal));
        Assert.DoesNotContain(bot.Slack.TopLevel(Channel), m => m.Text.Contains("exited 1", StringComparison.Ordinal) && m.Ts != card.Ts);
    }

    [Fact]
    public async Task After_a_restart_in_the_middle_of_the_deploy_the_next_instance_says_its_detail_in_the_same_thread()
    {
        var database = new PostgresTestDatabase();
        await database.InitializeAsync();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Delay = TimeSpan.FromMilliseconds(20) });
        await using var slack = await SlackSimulator.StartAsync(SigningSecret);
        try
        {
            // Short leases and sweeps, so that the next instance takes the release over within a test's patience.
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:ChatOps"] = database.ConnectionString,
                ["ChatOps:LeaseTtl"] = "00:00:02",
                ["ChatOps:SweepInterval"] = "00:00:00.300",
            };
            var crash = CrashSwitch.AfterStep("Deploy:midway");
            string cardTs;
            await using (var first = await StartOnAsync(slack, sandbox, settings, crash.Install))
            {
                await slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0");
                var card = await first.CardWithButtonAsync("Release #1", "Approve migrations");
                cardTs = card.Ts;
                await first.ReplyToAsync(await slack.ClickAsync(Approver, card, "Approve migrations"));
                await first.WaitUntilAsync("the crash in the middle of the deploy", () => crash.Crashed);
            }
            var before = slack.Thread(Channel, cardTs).Count;

            await using var second = await StartOnAsync(slack, sandbox, settings);
            await second.CardShowingAsync("Release #1", "Released v0.2.0 to production");
            await second.WhenIdleAsync();

            // The machine whose end the crash kept from the record is updated again; the one recorded before it is not.
            var thread = await ThreadWithAsync(second, cardTs, "already on v0.2.0", 1);
            Assert.True(thread.Count > before, $"the thread had {before} replies before the restart and {thread.Count} after it");
            Assert.Contains(Lines(thread.Skip(before)), l => l.EndsWith("on v0.2.0, started and healthy", StringComparison.Ordinal));
            Assert.Equal(thread.Count, slack.Messages(Channel).Count(m => m.ThreadTs is not null));
            Assert.Single(slack.TopLevel(Channel), m => m.Text.StartsWith("Release #1", StringComparison.Ordinal));
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    private static async Task<string> ParentAsync(SlackBotHost bot, string text)
    {
        await bot.Surface.SayAsync(new("slack", Channel), text, CancellationToken.None);
        return bot.Slack.TopLevel(Channel).Single(m => m.Text == text).Ts;
    }

    // Replies are flushed after the release moved on, so a test waits for the last line it expects.
    private static Task<IReadOnlyList<SlackSimMessage>> ThreadWithAsync(SlackBotHost bot, string cardTs, string text, int times) =>
        bot.WaitForAsync($"{times} thread lines with '{text}'", () =>
        {
            var thread = bot.Slack.Thread(Channel, cardTs);
            return Lines(thread).Count(l => l.Contains(text, StringComparison.Ordinal)) >= times ? thread : null;
        });

    // Every line of every reply that starts one (a console's lines belong to the line before them).
    private static List<string> Lines(IEnumerable<SlackSimMessage> replies) =>
        [.. replies.SelectMany(m => m.Text.Split('\n')).Where(l => l.StartsWith('*') || l.StartsWith("❌", StringComparison.Ordinal))];
}
