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
    /// <c>POST /telegram/webhook</c>: a call without the secret gets 401 and does nothing; a real update is handled
    /// and answered 200 even when handling fails (it is logged), so Telegram does not deliver it again and again.
    /// The answer may carry the command's reply as a <c>sendMessage</c> call (<see cref="TelegramSurface.ReplyInAnswerAsync"/>).
    /// </summary>
    public static void MapTelegram(this WebApplication app)
    {
        if (app.Services.GetService<TelegramUpdateHandler>() is null)
            return;
        app.MapPost(Path, async (HttpRequest request, TelegramUpdateHandler handler, IOptions<TelegramOptions> options,
            IHostApplicationLifetime lifetime, ILogger<TelegramUpdateHandler> log) =>
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
            // Not the request's token: Telegram hanging up must not cut a command in half once it is under way.
            // A reply that may go in this answer does, as the method call Telegram then makes for us.
            if (update is not null && await handler.HandleSafelyAsync(update, replyInAnswer: true, lifetime.ApplicationStopping) is { } reply)
                return Results.Json(reply, JsonBotAPI.Options);
            return Results.Ok();
        });
    }

    // Hashing first makes the comparison constant-time whatever the lengths.
    private static bool SecretMatches(string presented, string expected) =>
        expected.Length > 0 && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
