using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace ChatOps.Host.Telegram;

public static class TelegramEndpoints
{
    public const string Path = "/telegram/webhook";
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    /// <summary>
    /// <c>POST /telegram/webhook</c>: a call without the secret gets 401 and does nothing; a real update is put in the
    /// chat inbox and answered 200 at once, even when handling fails later (it is logged), so Telegram does not deliver
    /// it again and again. The request waits at most <see cref="TelegramOptions.WebhookReplyBudget"/>: a reply ready by
    /// then rides on the answer as a <c>sendMessage</c> call (<see cref="TelegramSurface.ReplyInAnswerAsync"/>), a later
    /// one goes through the API. A full or closing inbox answers 503, and Telegram delivers the update again later.
    /// </summary>
    public static void MapTelegram(this WebApplication app)
    {
        if (app.Services.GetService<IServiceProviderIsService>()?.IsService(typeof(TelegramInbox)) != true)
            return;
        app.MapPost(Path, async (HttpRequest request, TelegramInbox inbox, IOptions<TelegramOptions> options, TimeProvider clock, ILogger<TelegramInbox> log) =>
        {
            var o = options.Value;
            if (!o.UsesWebhook)
                return Results.NotFound();
            if (!SecretMatches(request.Headers[SecretHeader].ToString(), o.WebhookSecret))
            {
                log.LogWarning("Refused a call to {Path} without the right secret header", Path);
                return Results.Unauthorized();
            }
            Update? update;
            try
            {
                update = await JsonSerializer.DeserializeAsync<Update>(request.Body, JsonBotAPI.Options, request.HttpContext.RequestAborted);
            }
            catch (JsonException e)
            {
                log.LogWarning("Ignored a webhook body that is not a Telegram update: {Error}", e.Message);
                return Results.Ok();
            }
            if (update is null)
                return Results.Ok();
            if (inbox.TryTakeFromWebhook(update) is not { } answer)
            {
                log.LogWarning("Telegram update {UpdateId} was not taken: the chat inbox is full or closing; Telegram delivers it again", update.Id);
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }
            return await answer.SettleAsync(o.WebhookReplyBudget, clock, request.HttpContext.RequestAborted) is { } reply ? reply : Results.Ok();
        });
    }

    // Hashing first makes the comparison constant-time whatever the lengths.
    private static bool SecretMatches(string presented, string expected) =>
        expected.Length > 0 && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
