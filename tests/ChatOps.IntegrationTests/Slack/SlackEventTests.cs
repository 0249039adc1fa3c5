using System.Text.Json.Nodes;
using ChatOps.Core.Releases;
using ChatOps.Host.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static ChatOps.IntegrationTests.Slack.SlackBotHost;

namespace ChatOps.IntegrationTests.Slack;

/// <summary>The Events API (mentions and Slack's retries) and how Slack's errors reach the log.</summary>
[Collection(SlackCollection.Name)]
public sealed class SlackEventTests
{
    [Fact]
    public async Task A_mention_delivered_again_with_a_retry_header_starts_one_release_and_gets_one_reply()
    {
        await using var bot = await StartAsync();
        var mention = bot.Slack.NewMention(Releaser, Channel, "release v0.2.0");
        var thread = (string)mention["event"]!["ts"]!;

        Assert.Equal(200, (await bot.Slack.EventAsync(mention)).Status);
        Assert.Equal(200, (await bot.Slack.EventAsync(mention, retryNum: 1)).Status);

        await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        var reply = await bot.WaitForAsync("the reply in the mention's thread", () => bot.Slack.Messages(Channel).FirstOrDefault(m => m.ThreadTs == thread));
        Assert.Contains("Release #1 of v0.2.0 to production started", reply.Text);
        Assert.Equal(200, (await bot.Slack.EventAsync(mention, retryNum: 2)).Status);
        // A later mention's answer marks the point where the queue has taken the last retry.
        var marker = bot.Slack.NewMention(Releaser, Channel, "whoami");
        await bot.Slack.EventAsync(marker);
        await bot.WaitForAsync("the answer to a later mention", () => bot.Slack.Messages(Channel).FirstOrDefault(m => m.ThreadTs == (string)marker["event"]!["ts"]!));
        await bot.WhenIdleAsync();

        Assert.Single(await bot.ReleasesAsync());
        Assert.Single(bot.Slack.Messages(Channel), m => m.ThreadTs == thread);
        Assert.Null(bot.Card("Release #2"));
    }

    [Fact]
    public async Task An_ok_false_answer_is_thrown_and_logged_with_slacks_error_code()
    {
        await using var bot = await StartAsync();
        var log = new ListLogger<SlackClient>();
        var api = ActivatorUtilities.CreateInstance<SlackClient>(bot.App.Services, log);

        var error = await Assert.ThrowsAsync<SlackApiException>(() => api.UpdateAsync(new SlackMessage(Channel, "hello", Ts: "1785585600.999999"), CancellationToken.None));
        var posted = await api.PostMessageAsync(new SlackMessage(Channel, "hello", new JsonArray()), CancellationToken.None);

        Assert.Equal("message_not_found", error.Error);
        Assert.Contains(log.Lines, line => line.Contains("chat.update", StringComparison.Ordinal) && line.Contains("message_not_found", StringComparison.Ordinal));
        Assert.Equal(Channel, posted.Channel);
        Assert.DoesNotContain(bot.Slack.Calls, c => c.Error is "not_authed" or "invalid_auth");
    }

    private sealed class ListLogger<T> : ILogger<T>
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                    return [.. _lines];
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
                _lines.Add($"{logLevel}: {formatter(state, exception)}");
        }
    }
}
