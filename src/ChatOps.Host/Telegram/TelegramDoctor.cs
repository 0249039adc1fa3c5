using ChatOps.Core.Ports;
using ChatOps.Core.Store;
using ChatOps.Host.Doctor;
using ChatOps.Host.Http;
using ChatOps.Host.Slack;
using ChatOps.Host.Telegram;
using Flurl.Http;
using global::Telegram.Bot;
using global::Telegram.Bot.Exceptions;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Telegram;

/// <summary>Telegram: getMe, and the webhook Telegram holds against the mode configured here.</summary>
internal sealed class TelegramDoctor(ITelegramBotClient bot, IUpdateLog updates, IOptions<TelegramOptions> options) : IDoctorChecks
{
    public string Name => "Telegram";

    public string GeneralFix => "check Telegram:ApiBaseUrl and that api.telegram.org is reachable from the bot.";

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        global::Telegram.Bot.Types.User me;
        try
        {
            me = await bot.GetMe(cancellationToken);
        }
        catch (ApiRequestException e)
        {
            return [DoctorCheck.Problem("Telegram bot", $"getMe was refused: {e.ErrorCode} {e.Message}.",
                "TELEGRAM_BOT_TOKEN must be the token @BotFather gave (123456:ABC…): fly secrets set TELEGRAM_BOT_TOKEN=…")];
        }
        var rows = new List<DoctorCheck> { DoctorCheck.Pass("Telegram bot", $"@{me.Username} (id {me.Id}).") };
        var hook = await bot.GetWebhookInfo(cancellationToken);
        if (o.UsesWebhook)
        {
            if (!string.Equals(hook.Url, o.WebhookUrl, StringComparison.Ordinal))
                rows.Add(DoctorCheck.Problem("Telegram webhook", $"Telegram holds '{hook.Url}', not Telegram:WebhookUrl {o.WebhookUrl}.",
                    "restart the bot (it calls setWebhook at start-up), or fix Telegram:WebhookUrl."));
            else if (hook.LastErrorMessage is { Length: > 0 } error)
                rows.Add(await DeliveredSinceAsync(hook.LastErrorDate, cancellationToken) is { } handled
                    ? DoctorCheck.Pass("Telegram webhook", $"set to Telegram:WebhookUrl; a delivery failed at {hook.LastErrorDate:u} ({error}), "
                        + $"but updates got through since (the last handled at {handled:u}); {hook.PendingUpdateCount} updates waiting.")
                    : DoctorCheck.Problem("Telegram webhook", $"set, but the last delivery failed: {error} ({hook.PendingUpdateCount} updates waiting).",
                    "check that the URL answers from the internet (fly logs) and that TELEGRAM_WEBHOOK_SECRET matches."));
            else
                rows.Add(DoctorCheck.Pass("Telegram webhook", $"set to Telegram:WebhookUrl; {hook.PendingUpdateCount} updates waiting."));
        }
        else
        {
            rows.Add(string.IsNullOrEmpty(hook.Url)
                ? DoctorCheck.Pass("Telegram updates", "long polling, and no webhook is set.")
                : DoctorCheck.Problem("Telegram updates", $"this bot polls, but Telegram holds a webhook ({hook.Url}): polling gets 409 Conflict.",
                    "set Telegram:WebhookUrl to that URL, or restart the bot (it deletes a webhook before polling), and make sure only one machine polls."));
        }
        return rows;
    }

    /// <summary>When the newest Telegram update was handled, if that was after the webhook's last failed delivery.</summary>
    /// <remarks>
    /// getWebhookInfo tells when a delivery last failed (last_error_date) but not when one last succeeded: it has no
    /// such field (reference/telegram-bot-api.md; last_synchronization_error_date is about Telegram's datacenters, not
    /// deliveries). The newest update the bot's store recorded as handled stands for the last successful delivery: in
    /// webhook mode every update arrives by a delivery. The store forgets old updates, so after a long quiet spell an
    /// old error is reported again, which errs on the side of a look.
    /// </remarks>
    private async Task<DateTimeOffset?> DeliveredSinceAsync(DateTime? errorAt, CancellationToken cancellationToken)
    {
        if (errorAt is not { } at)
            return null;
        var handled = await updates.LastHandledAsync(TelegramSurface.PlatformName, cancellationToken);
        return handled > new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) ? handled : null;
    }
}
