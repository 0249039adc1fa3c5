using Telegram.Bot;
using Telegram.Bot.Requests;

namespace ChatOps.Host.Telegram;

/// <summary>
/// A reply that rides on the webhook's answer. The update is already claimed, so a redelivery would change nothing:
/// when the answer cannot be written (Telegram hung up first), the reply goes through the API instead.
/// </summary>
public sealed record TelegramWebhookReply(SendMessageRequest Request, Func<CancellationToken, Task> SendInstead) : IResult
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var aborted = httpContext.RequestAborted;
        try
        {
            if (!aborted.IsCancellationRequested)
            {
                await httpContext.Response.WriteAsJsonAsync(Request, JsonBotAPI.Options, aborted);
                await httpContext.Response.CompleteAsync();
                if (!aborted.IsCancellationRequested)
                    return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Telegram hung up while the answer was written; sent below instead.
        }
        var services = httpContext.RequestServices;
        var log = services.GetRequiredService<ILogger<TelegramWebhookReply>>();
        log.LogInformation("The webhook answer to chat {ChatId} could not be delivered; sending the reply through the API", Request.ChatId);
        // Not the request's token, which is cancelled already; bounded, as a request must end.
        using var timeout = new CancellationTokenSource(SendTimeout);
        try
        {
            await SendInstead(timeout.Token);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not send the reply to chat {ChatId} through the API either", Request.ChatId);
        }
    }
}
