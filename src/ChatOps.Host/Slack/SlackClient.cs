using System.Text.Json.Nodes;
using ChatOps.Host.Http;
using Flurl.Http;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Slack;

/// <summary>
/// <see cref="ISlackApi"/> over plain HTTP: JSON bodies with a bearer token, through the resilient client, so an
/// HTTP 429 is retried after its Retry-After. Slack also answers <c>200 {"ok":false,"error":"ratelimited"}</c>
/// on some methods: that is waited out here. Any other <c>ok:false</c> is logged with Slack's code and thrown.
/// </summary>
public sealed class SlackClient(IHttpClientFactory http, IOptions<SlackOptions> options, TimeProvider clock, ILogger<SlackClient> log) : ISlackApi
{
    public const string HttpClientName = "Slack";
    private const string SystemName = "Slack";
    private const int MaxRateLimitWaits = 3;

    public async Task<SlackPosted> PostMessageAsync(SlackMessage message, CancellationToken cancellationToken)
    {
        // A post that timed out may have landed; a second copy of a card is worse than a retry by the card lane.
        var body = await CallAsync("chat.postMessage", options.Value.BotToken, message.ToJson(), onlyRateLimits: true, cancellationToken);
        return new SlackPosted(body.Text("channel") ?? message.Channel, body.Text("ts") ?? throw new SlackApiException("chat.postMessage", "no_ts_in_answer"));
    }

    public Task UpdateAsync(SlackMessage message, CancellationToken cancellationToken) =>
        CallAsync("chat.update", options.Value.BotToken, message.ToJson(), onlyRateLimits: false, cancellationToken);

    public async Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var body = await CallAsync("apps.connections.open", options.Value.AppToken, null, onlyRateLimits: false, cancellationToken);
        return Uri.TryCreate(body.Text("url"), UriKind.Absolute, out var url) && url.Scheme is "wss" or "ws"
            ? url
            : throw new SlackApiException("apps.connections.open", "no_websocket_url_in_answer");
    }

    public async Task<string> TeamIdAsync(CancellationToken cancellationToken)
    {
        var body = await CallAsync("auth.test", options.Value.BotToken, null, onlyRateLimits: false, cancellationToken);
        return body.Text("team_id") ?? throw new SlackApiException("auth.test", "no_team_id_in_answer");
    }

    public async Task<SlackUser> UserInfoAsync(string userId, CancellationToken cancellationToken)
    {
        // A read method: Slack takes its arguments as a form or a query, not as JSON.
        var body = await CallAsync("users.info", options.Value.BotToken, null, onlyRateLimits: false, cancellationToken, query: ("user", userId));
        var user = body["user"];
        // The full name first, as on a Telegram card; then the display name, then the legacy handle.
        var name = user.Text("profile", "real_name") ?? user.Text("real_name") ?? user.Text("profile", "display_name") ?? user.Text("name") ?? "";
        return new SlackUser(user.Text("id") ?? userId, name);
    }

    public async Task RespondAsync(string responseUrl, SlackReply reply, CancellationToken cancellationToken)
    {
        // A response_url takes five posts at most: a lost answer is not worth spending another one on.
        using var client = http.CreateFlurlClient(HttpClientName, responseUrl, OutsideCalls.WebJson);
        using var response = await client.Request().OnlyRetryRateLimits().SendAsync(SystemName, HttpMethod.Post, reply.ToJson(), cancellationToken);
    }

    private async Task<JsonObject> CallAsync(
        string method, string token, JsonObject? json, bool onlyRateLimits, CancellationToken cancellationToken, (string Name, string Value)? query = null)
    {
        for (var wait = 1; ; wait++)
        {
            using var client = http.CreateFlurlClient(HttpClientName, options.Value.ApiBaseUrl.TrimEnd('/'), OutsideCalls.WebJson);
            var request = client.Request(method).WithOAuthBearerToken(token);
            if (query is { } q)
                request = request.SetQueryParam(q.Name, q.Value);
            if (onlyRateLimits)
                request = request.OnlyRetryRateLimits();
            var response = await request.SendAsync(SystemName, query is null ? HttpMethod.Post : HttpMethod.Get, json, cancellationToken);
            var retryAfter = response.ResponseMessage.Headers.RetryAfter?.Delta;
            var body = await response.ReadJsonAsync<JsonObject>(SystemName);
            if (body["ok"] is JsonValue ok && ok.TryGetValue<bool>(out var isOk) && isOk)
            {
                if (body.Text("warning") is { } warning)
                    log.LogDebug("Slack {Method} warned {SlackWarning}", method, warning);
                return body;
            }
            var error = body.Text("error") ?? "unknown_error";
            if (error == "ratelimited" && wait <= MaxRateLimitWaits)
            {
                var pause = retryAfter is { } after && after > TimeSpan.Zero ? after : TimeSpan.FromSeconds(1);
                log.LogInformation("Slack {Method} is rate limited; waiting {Pause} before trying again", method, pause);
                await Task.Delay(pause, clock, cancellationToken);
                continue;
            }
            log.LogWarning("Slack {Method} failed with {SlackError}{Needed}", method, error, body.Text("needed") is { } needed ? $" (needs {needed})" : "");
            throw new SlackApiException(method, error, body.Text("needed"));
        }
    }
}
