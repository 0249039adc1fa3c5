using System.Globalization;
using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

// The Web API side: bearer token check, injected faults, {ok:...} answers (HTTP 200 even for errors), a record of every call.
public sealed partial class SlackSimulator
{
    private async Task<IResult> InvokeAsync(string method, HttpRequest request)
    {
        var body = HttpMethods.IsGet(request.Method)
            ? new JsonObject(request.Query.Select(q => KeyValuePair.Create(q.Key, (JsonNode?)JsonValue.Create(q.Value.ToString()))))
            : request.HasFormContentType
            ? new JsonObject((await request.ReadFormAsync()).Select(f => KeyValuePair.Create(f.Key, (JsonNode?)JsonValue.Create(f.Value.ToString()))))
            : await SandboxJson.ReadObjectAsync(request) ?? [];
        var appMethod = method == "apps.connections.open";
        var token = request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null;
        if (token is null)
            return Answer(method, body, "not_authed");
        if (token != (appMethod ? AppToken : BotToken))
            return Answer(method, body, token == BotToken || token == AppToken ? "not_allowed_token_type" : "invalid_auth");
        SlackFault? fault = null;
        lock (_gate)
        {
            if (_faults.TryGetValue(method, out var queue) && queue.Count > 0)
                fault = queue.Dequeue();
        }
        if (fault is not null)
            return Answer(method, body, fault.Error, fault.Status, fault.RetryAfter);
        if (!appMethod && RandomFaults is { } random && random.Draw(RandomFaults.Slack) is { } drawn)
        {
            if (drawn.Kind == FaultKind.Timeout)
                await random.HangAsync(request.HttpContext.RequestAborted);
            return drawn.Kind == FaultKind.RateLimited
                ? Answer(method, body, "ratelimited", 429, drawn.RetryAfterSeconds)
                : Answer(method, body, "internal_error", drawn.StatusCode);
        }
        var result = method switch
        {
            "chat.postMessage" => PostMessage(body),
            "chat.update" => Update(body),
            "apps.connections.open" => OpenConnection(),
            "auth.test" => new JsonObject { ["ok"] = true, ["user_id"] = BotUserId, ["team_id"] = "T0SANDBOX" },
            "users.info" => UserInfo(body),
            _ => Error("unknown_method"),
        };
        if ((string?)result["error"] is { } error)
            return Answer(method, body, error, needed: (string?)result["needed"]);
        // Slack warns about a JSON body without a charset, and so does this.
        if (request.ContentType is { } type && type.StartsWith("application/json", StringComparison.Ordinal) && !type.Contains("charset", StringComparison.OrdinalIgnoreCase))
            result["warning"] = "missing_charset";
        Record(method, body, 200, null);
        // Slack reports a token's scopes in this header on every Web API answer; auth.test is where a doctor reads it.
        request.HttpContext.Response.Headers["x-oauth-scopes"] = string.Join(',', Scopes);
        return SandboxJson.Json(result);
    }

    private JsonObject PostMessage(JsonObject body)
    {
        if (Channel(body) is not { } channel)
            return Error("channel_not_found");
        var text = (string?)body["text"] ?? "";
        var blocks = body["blocks"] as JsonArray ?? [];
        if (text.Length == 0 && blocks.Count == 0)
            return Error("no_text");
        var message = new SlackSimMessage(channel, NextTs(), text, blocks.ToJsonString(), (string?)body["thread_ts"], [text]);
        lock (_gate)
            _messages[(channel, message.Ts)] = message;
        return new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = message.Ts, ["message"] = MessageJson(message) };
    }

    private JsonObject Update(JsonObject body)
    {
        if (Channel(body) is not { } channel)
            return Error("channel_not_found");
        var ts = (string?)body["ts"] ?? "";
        lock (_gate)
        {
            if (!_messages.TryGetValue((channel, ts), out var message))
                return Error("message_not_found");
            // Blocks left out are kept; blocks sent replace the old ones whole ([] removes them).
            var text = (string?)body["text"] ?? message.Text;
            var blocks = body["blocks"] is JsonArray sent ? sent.ToJsonString() : message.BlocksJson;
            message = message with { Text = text, BlocksJson = blocks, Versions = [.. message.Versions, text] };
            _messages[(channel, ts)] = message;
            return new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = ts, ["text"] = text, ["message"] = MessageJson(message) };
        }
    }

    private async Task<IResult> HookAsync(string id, HttpRequest request)
    {
        var body = await SandboxJson.ReadObjectAsync(request);
        if (body is null || ((string?)body["text"] ?? "").Length == 0)
            return Results.Text("no_text", statusCode: 400);
        if (RandomFaults is { } random && random.Draw(RandomFaults.Slack) is { } drawn)
        {
            if (drawn.Kind == FaultKind.Timeout)
                await random.HangAsync(request.HttpContext.RequestAborted);
            return drawn.Kind == FaultKind.RateLimited
                ? new RetryAfterResult(Results.Text("rate_limited", statusCode: 429), drawn.RetryAfterSeconds)
                : Results.Text("internal_error", statusCode: drawn.StatusCode);
        }
        lock (_gate)
        {
            // FailNext("response_url", ...) makes the next posts to any response_url fail, as Slack's hooks sometimes do.
            if (_faults.TryGetValue("response_url", out var queue) && queue.Count > 0)
                return Results.Text(queue.Dequeue().Error, statusCode: 500);
            _hookPosts.Add(new SlackHookPost(id, body, _clock.Elapsed));
        }
        return Results.Text("ok");
    }

    private IResult Answer(string method, JsonObject body, string error, int status = 200, int? retryAfter = null, string? needed = null)
    {
        Record(method, body, status, error);
        var answer = Error(error);
        if (needed is not null)
        {
            answer["needed"] = needed;
            answer["provided"] = string.Join(',', Scopes);
        }
        if (retryAfter is { } seconds)
            return new RetryAfterResult(SandboxJson.Json(answer, status), seconds);
        return SandboxJson.Json(answer, status);
    }

    // After the users.info page: the user object with its profile; the names a client shows are real_name and display_name.
    private JsonObject UserInfo(JsonObject body)
    {
        if (!Scopes.Contains("users:read"))
            return new JsonObject { ["ok"] = false, ["error"] = "missing_scope", ["needed"] = "users:read" };
        SlackSimUser? user;
        lock (_gate)
            user = _users.GetValueOrDefault((string?)body["user"] ?? "");
        if (user is null)
            return Error("user_not_found");
        return new JsonObject
        {
            ["ok"] = true,
            ["user"] = new JsonObject
            {
                ["id"] = user.Id,
                ["team_id"] = "T0SANDBOX",
                ["name"] = user.DisplayName.Length > 0 ? user.DisplayName.ToLowerInvariant() : user.Id.ToLowerInvariant(),
                ["deleted"] = false,
                ["real_name"] = user.RealName,
                ["tz"] = "Europe/Amsterdam",
                ["tz_label"] = "Central European Time",
                ["tz_offset"] = 3600,
                ["is_bot"] = false,
                ["is_app_user"] = false,
                ["updated"] = 1785585600,
                ["profile"] = new JsonObject
                {
                    ["real_name"] = user.RealName,
                    ["real_name_normalized"] = user.RealName,
                    ["display_name"] = user.DisplayName,
                    ["display_name_normalized"] = user.DisplayName,
                    ["first_name"] = user.RealName.Split(' ')[0],
                    ["last_name"] = user.RealName.Contains(' ', StringComparison.Ordinal) ? user.RealName[(user.RealName.IndexOf(' ', StringComparison.Ordinal) + 1)..] : "",
                    ["image_48"] = $"https://avatars.slack-edge.com/{user.Id}_48.png",
                    ["team"] = "T0SANDBOX",
                },
            },
        };
    }

    private void Record(string method, JsonObject body, int status, string? error)
    {
        lock (_gate)
            _calls.Add(new SlackApiCall(method, Copy(body), _clock.Elapsed, status, error));
    }

    private static string? Channel(JsonObject body) =>
        (string?)body["channel"] is { Length: > 1 } id && id[0] is 'C' or 'G' or 'D' ? id : null;

    private static JsonObject Error(string error) => new() { ["ok"] = false, ["error"] = error };

    private static JsonObject MessageJson(SlackSimMessage message) => new()
    {
        ["type"] = "message",
        ["subtype"] = "bot_message",
        ["user"] = BotUserId,
        ["text"] = message.Text,
        ["ts"] = message.Ts,
        ["blocks"] = message.Blocks,
    };

    private sealed class RetryAfterResult(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
