using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

// The HTTP side: token check, injected faults, the envelope, and a record of every call.
public sealed partial class TelegramSimulator
{
    private async Task<IResult> InvokeAsync(string token, string method, HttpRequest request)
    {
        var args = await ReadArgsAsync(request);
        if (token != Token)
            return Record(method, args, new TelegramApiError(401, "Unauthorized"));
        TelegramFault? fault = null;
        lock (_gate)
        {
            if (_faults.TryGetValue(method, out var queue) && queue.Count > 0)
                fault = queue.Dequeue();
        }
        if (fault is not null)
            return Record(method, args, new TelegramApiError(fault.ErrorCode, fault.Description, fault.RetryAfter));
        if (RandomFaults is { } random && random.Draw(RandomFaults.Telegram, mayHang: false) is { } drawn)
        {
            // Telegram's retry_after is at least a second.
            var retryAfter = Math.Max(1, drawn.RetryAfterSeconds);
            return Record(method, args, drawn.Kind == FaultKind.RateLimited
                ? new TelegramApiError(429, $"Too Many Requests: retry after {retryAfter}", retryAfter)
                : new TelegramApiError(drawn.StatusCode, "Internal Server Error"));
        }
        try
        {
            var result = await PerformAsync(method, args, request.HttpContext.RequestAborted);
            Record(method, args, null);
            return SandboxJson.Json(new JsonObject { ["ok"] = true, ["result"] = result });
        }
        catch (TelegramApiError error)
        {
            return Record(method, args, error);
        }
    }

    private async Task<JsonNode?> PerformAsync(string method, JsonObject args, CancellationToken cancellationToken) =>
        method.ToLowerInvariant() switch
        {
            "getme" => UserJson(Bot),
            "getupdates" => await GetUpdatesAsync(args, cancellationToken),
            "setwebhook" => SetWebhook(args),
            "deletewebhook" => DeleteWebhook(args),
            "getwebhookinfo" => WebhookInfo(),
            "setmycommands" => SetMyCommands(args),
            "getmycommands" => new JsonArray([.. Commands.Select(c => new JsonObject { ["command"] = c.Command, ["description"] = c.Description })]),
            "sendmessage" => SendMessage(args),
            "editmessagetext" => EditMessageText(args),
            "answercallbackquery" => AnswerCallbackQuery(args),
            _ => throw new TelegramApiError(404, "Not Found"),
        };

    private IResult Record(string method, JsonObject args, TelegramApiError? error, bool inWebhookAnswer = false)
    {
        lock (_gate)
            _calls.Add(new TelegramCall(method, args, _clock.Elapsed, error?.Code ?? 200, error?.Message, inWebhookAnswer));
        if (error is null)
            return Results.Empty;
        var body = new JsonObject { ["ok"] = false, ["error_code"] = error.Code, ["description"] = error.Message };
        if (error.RetryAfter is { } retryAfter)
            body["parameters"] = new JsonObject { ["retry_after"] = retryAfter };
        return SandboxJson.Json(body, error.Code);
    }

    // The Bot API takes parameters as a query string, a form or JSON; Telegram.Bot always sends JSON (or nothing).
    private static async Task<JsonObject> ReadArgsAsync(HttpRequest request)
    {
        var args = new JsonObject();
        foreach (var (key, value) in request.Query)
            args[key] = value.ToString();
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync(request.HttpContext.RequestAborted))
                args[key] = value.ToString();
        }
        else if (await SandboxJson.ReadObjectAsync(request) is { } json)
        {
            foreach (var (key, value) in json)
                args[key] = value?.DeepClone();
        }
        return args;
    }

    private static string? Str(JsonObject args, string name) => args[name] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    private static long? Long(JsonObject args, string name) => args[name] switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var l) => l,
        _ => null,
    };

    private static bool Bool(JsonObject args, string name) => args[name] switch
    {
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) => s is "true" or "True" or "1",
        _ => false,
    };

    // Objects sent as form or query values arrive as JSON text.
    private static JsonNode? Node(JsonObject args, string name)
    {
        var node = args[name];
        if (node is JsonValue v && v.TryGetValue<string>(out var text))
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                throw TelegramApiError.BadRequest($"can't parse {name} JSON object");
            }
        }
        return node;
    }
}
