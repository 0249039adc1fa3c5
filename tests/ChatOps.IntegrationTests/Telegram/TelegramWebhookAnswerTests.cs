using ChatOps.Host.Telegram;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Telegram.Bot.Requests;

namespace ChatOps.IntegrationTests.Telegram;

/// <summary>The hand-over between a webhook request and its work: a reply is carried in the answer or sent, never both, never neither.</summary>
public sealed class TelegramWebhookAnswerTests
{
    private static readonly SendMessageRequest Reply = new() { ChatId = 1, Text = "Released", IsWebhookResponse = true };

    [Fact]
    public async Task A_reply_ready_within_the_budget_is_carried_in_the_answer()
    {
        var answer = new TelegramWebhookAnswer();
        Assert.True(answer.TryCarry(Reply, _ => Task.CompletedTask));

        var carried = await answer.SettleAsync(TimeSpan.FromSeconds(2), TimeProvider.System, CancellationToken.None);

        Assert.Same(Reply, carried?.Request);
    }

    [Fact]
    public async Task A_reply_ready_after_the_budget_is_refused_so_the_work_sends_it_itself()
    {
        var clock = new FakeTimeProvider();
        var answer = new TelegramWebhookAnswer();
        var settling = answer.SettleAsync(TimeSpan.FromSeconds(2), clock, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Null(await settling);
        Assert.False(answer.IsOpen);
        Assert.False(answer.TryCarry(Reply, _ => Task.CompletedTask));
    }

    [Fact]
    public async Task Work_that_ends_without_a_reply_lets_the_request_answer_at_once()
    {
        var answer = new TelegramWebhookAnswer();
        answer.Finish();

        var carried = await answer.SettleAsync(TimeSpan.FromDays(1), TimeProvider.System, CancellationToken.None);

        Assert.Null(carried);
    }

    [Fact]
    public async Task A_carried_reply_Telegram_hung_up_on_before_it_was_written_is_sent_through_the_API()
    {
        var sent = 0;
        var reply = new TelegramWebhookReply(Reply, _ =>
        {
            sent++;
            return Task.CompletedTask;
        });
        using var hungUp = new CancellationTokenSource();
        await hungUp.CancelAsync();
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
            RequestAborted = hungUp.Token,
        };

        await reply.ExecuteAsync(context);

        Assert.Equal(1, sent);
    }

    [Fact]
    public async Task A_carried_reply_written_whole_is_not_sent_again()
    {
        var sent = 0;
        var reply = new TelegramWebhookReply(Reply, _ =>
        {
            sent++;
            return Task.CompletedTask;
        });
        using var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = body;

        await reply.ExecuteAsync(context);

        Assert.Equal(0, sent);
        Assert.Contains("\"method\":\"sendMessage\"", System.Text.Encoding.UTF8.GetString(body.ToArray()), StringComparison.Ordinal);
    }
}
