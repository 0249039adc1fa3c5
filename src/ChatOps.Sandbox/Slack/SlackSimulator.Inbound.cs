using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatOps.Sandbox;

// The people in the channel: slash commands, clicks and mentions, signed as Slack signs them and sent to the
// bot's endpoints, or as envelopes over its Socket Mode connection when UseSocketMode is on.
public sealed partial class SlackSimulator
{
    public const string TeamId = "T0SANDBOX";

    private static readonly HttpClient Sender = new() { Timeout = TimeSpan.FromSeconds(30) };

    // The workspace the people who type and click are in: another one plays a foreign workspace, which Slack signs
    // all the same when the app is installed there too (or its signing secret leaked).
    public string SendingTeamId { get; set; } = TeamId;

    public Task<SlackDelivery> CommandAsync(string user, string channel, string command, string text, SigningTweak? tweak = null)
    {
        var hook = NextId("hook-");
        var fields = new Dictionary<string, string?>
        {
            ["token"] = "legacy-verification-token",
            ["team_id"] = SendingTeamId,
            ["team_domain"] = "sandbox",
            ["channel_id"] = channel,
            ["channel_name"] = "releases",
            ["user_id"] = user,
            ["user_name"] = user.ToLowerInvariant(),
            ["command"] = command,
            ["text"] = text,
            ["api_app_id"] = "A0CHATOPS",
            ["is_enterprise_install"] = "false",
            ["response_url"] = HookUrl(hook),
            ["trigger_id"] = $"{NextId("")}.{Random.Shared.NextInt64():x}",
        };
        if (UseSocketMode)
            return SendEnvelopeAsync("slash_commands", new JsonObject(fields.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))), hook, null);
        return PostSignedAsync("slack/commands", "application/x-www-form-urlencoded", QueryHelpers.AddQueryString("", fields)[1..], tweak, hookId: hook);
    }

    public Task<SlackDelivery> ClickAsync(string user, SlackSimMessage message, string buttonText, SigningTweak? tweak = null)
    {
        var button = message.Buttons.FirstOrDefault(b => b.Text == buttonText)
            ?? throw new InvalidOperationException($"message {message.Ts} has no button '{buttonText}'; it has {string.Join(", ", message.Buttons.Select(b => b.Text))}");
        var hook = NextId("hook-");
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = user, ["username"] = user.ToLowerInvariant(), ["name"] = user.ToLowerInvariant(), ["team_id"] = SendingTeamId },
            ["api_app_id"] = "A0CHATOPS",
            ["token"] = "legacy-verification-token",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = message.Ts, ["channel_id"] = message.Channel, ["is_ephemeral"] = false },
            ["trigger_id"] = $"{NextId("")}.{Random.Shared.NextInt64():x}",
            ["team"] = new JsonObject { ["id"] = SendingTeamId, ["domain"] = "sandbox" },
            ["channel"] = new JsonObject { ["id"] = message.Channel, ["name"] = "releases" },
            ["message"] = MessageJson(message),
            ["state"] = new JsonObject { ["values"] = new JsonObject() },
            ["response_url"] = HookUrl(hook),
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "button",
                ["action_id"] = button.ActionId,
                ["block_id"] = button.BlockId,
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = button.Text, ["emoji"] = true },
                ["value"] = button.Value,
                ["style"] = button.Style,
                ["action_ts"] = NextTs(),
            }),
        };
        if (UseSocketMode)
            return SendEnvelopeAsync("interactive", payload, hook, null);
        var body = "payload=" + Uri.EscapeDataString(payload.ToJsonString());
        return PostSignedAsync("slack/interactions", "application/x-www-form-urlencoded", body, tweak, hookId: hook);
    }

    // An app_mention event callback with a new event_id; deliver it with EventAsync, again to play a retry.
    public JsonObject NewMention(string user, string channel, string text)
    {
        var ts = NextTs();
        return new JsonObject
        {
            ["token"] = "legacy-verification-token",
            ["team_id"] = SendingTeamId,
            ["api_app_id"] = "A0CHATOPS",
            ["type"] = "event_callback",
            ["event_id"] = NextId("Ev0SANDBOX"),
            ["event_time"] = 1785585600,
            ["event"] = new JsonObject
            {
                ["type"] = "app_mention",
                ["user"] = user,
                ["text"] = $"<@{BotUserId}> {text}",
                ["ts"] = ts,
                ["channel"] = channel,
                ["event_ts"] = ts,
            },
            ["authorizations"] = new JsonArray(new JsonObject { ["team_id"] = SendingTeamId, ["user_id"] = BotUserId, ["is_bot"] = true }),
        };
    }

    public Task<SlackDelivery> EventAsync(JsonObject callback, int? retryNum = null, SigningTweak? tweak = null)
    {
        var eventId = (string?)callback["event_id"];
        if (UseSocketMode)
            return SendEnvelopeAsync("events_api", callback, null, eventId, retryNum ?? 0);
        var headers = retryNum is { } n ? new Dictionary<string, string> { ["X-Slack-Retry-Num"] = $"{n}", ["X-Slack-Retry-Reason"] = "http_timeout" } : null;
        return PostSignedAsync("slack/events", "application/json", callback.ToJsonString(), tweak, headers, eventId: eventId);
    }

    public Task<SlackDelivery> UrlVerificationAsync(string challenge) =>
        PostSignedAsync("slack/events", "application/json",
            new JsonObject { ["token"] = "legacy-verification-token", ["challenge"] = challenge, ["type"] = "url_verification" }.ToJsonString(), null);

    // Signs the body as Slack does (or as the tweak spoils it) and posts it to the bot.
    public async Task<SlackDelivery> PostSignedAsync(
        string path, string contentType, string body, SigningTweak? tweak, IDictionary<string, string>? headers = null, string? hookId = null, string? eventId = null)
    {
        var botUrl = BotUrl ?? throw new InvalidOperationException("Set BotUrl to the bot's address first.");
        var timestamp = DateTimeOffset.UtcNow.Add(-(tweak?.Age ?? TimeSpan.Zero)).ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(botUrl, path))
        {
            Content = new StringContent(tweak?.ChangeBody?.Invoke(body) ?? body, Encoding.UTF8, contentType),
        };
        if (tweak?.Unsigned != true)
        {
            request.Headers.Add("X-Slack-Request-Timestamp", $"{timestamp}");
            request.Headers.Add("X-Slack-Signature", SlackSigner.Sign(tweak?.Secret ?? SigningSecret, timestamp, body));
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.Add(name, value);
        var started = Stopwatch.StartNew();
        using var response = await Sender.SendAsync(request);
        var elapsed = started.Elapsed;
        var at = _clock.Elapsed;
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? answer = response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0 ? JsonNode.Parse(text) : text;
        return new SlackDelivery((int)response.StatusCode, answer, hookId, elapsed, at, eventId);
    }

    private string HookUrl(string hook) => new Uri(BaseUrl, $"hooks/{hook}").ToString();
}
