using ChatOps.Core.Ports;
using ChatOps.Core.Store;
using ChatOps.Host.Http;
using ChatOps.Host.Slack;
using ChatOps.Host.Telegram;
using Flurl.Http;
using global::Telegram.Bot;
using global::Telegram.Bot.Exceptions;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Doctor;

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

/// <summary>Slack: auth.test with the bot token, and the scopes it reports.</summary>
internal sealed class SlackDoctor(IHttpClientFactory httpClients, IOptions<SlackOptions> options) : IDoctorChecks
{
    private static readonly string[] NeededScopes = ["chat:write", "commands"];

    public string Name => "Slack";

    public string GeneralFix => "check Slack:ApiBaseUrl and that slack.com is reachable from the bot.";

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var client = httpClients.CreateFlurlClient(SlackClient.HttpClientName, o.ApiBaseUrl.TrimEnd('/'), OutsideCalls.WebJson);
        using var response = await client.Request("auth.test").WithOAuthBearerToken(o.BotToken)
            .SendAsync("Slack", HttpMethod.Post, new { }, cancellationToken);
        var body = await response.GetJsonAsync<System.Text.Json.Nodes.JsonObject>();
        if (body["ok"]?.GetValue<bool>() != true)
            return [DoctorCheck.Problem("Slack bot", $"auth.test answered {(string?)body["error"]}.",
                "SLACK_BOT_TOKEN must be the app's Bot User OAuth Token (xoxb-…): fly secrets set SLACK_BOT_TOKEN=…")];
        var rows = new List<DoctorCheck> { DoctorCheck.Pass("Slack bot", $"user {(string?)body["user_id"]} in team {(string?)body["team_id"]}.") };
        var reported = response.Headers.TryGetFirst("x-oauth-scopes", out var header) ? header : null;
        if (reported is null)
        {
            rows.Add(DoctorCheck.Pass("Slack scopes", "Slack did not report the token's scopes; a missing one shows as missing_scope at the first post."));
            return rows;
        }
        var scopes = reported.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var missing = NeededScopes.Except(scopes, StringComparer.Ordinal).ToList();
        rows.Add(missing.Count == 0
            ? DoctorCheck.Pass("Slack scopes", string.Join(", ", scopes) + ".")
            : DoctorCheck.Problem("Slack scopes", $"the bot token lacks {string.Join(", ", missing)} (it has {string.Join(", ", scopes)}).",
                "add them under OAuth & Permissions → Bot Token Scopes, reinstall the app, and set the new SLACK_BOT_TOKEN."));
        return rows;
    }
}
