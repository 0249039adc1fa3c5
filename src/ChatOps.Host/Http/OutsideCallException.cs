using System.Text.Json;
using System.Text.Json.Nodes;
using Flurl.Http;
using Microsoft.AspNetCore.WebUtilities;
using Polly.Timeout;

namespace ChatOps.Host.Http;

// A failed outside call, worded for a chat message: who answered what to which request. Only the path is shown,
// never the query, headers or token.
public sealed class OutsideCallException(string message, int? statusCode = null, bool timedOut = false, bool neverSent = false, Exception? inner = null)
    : Exception(message, inner)
{
    private const int MaxBody = 200;

    public int? StatusCode { get; } = statusCode;

    public bool TimedOut { get; } = timedOut;

    // The connection was refused or the name did not resolve: the request cannot have had any effect.
    public bool NeverSent { get; } = neverSent;

    public static async Task<OutsideCallException> FromResponseAsync(string system, IFlurlResponse response)
    {
        var request = response.ResponseMessage.RequestMessage;
        var status = response.StatusCode;
        var detail = ErrorText(await ReadBodyAsync(response));
        return new OutsideCallException(
            $"{system} answered {status} {ReasonPhrases.GetReasonPhrase(status)} for {request?.Method.Method} {CredentialPaths.Of(request?.RequestUri)} — {detail}",
            status);
    }

    public static OutsideCallException NoAnswer(string system, HttpMethod verb, string url, FlurlHttpException ex)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? CredentialPaths.Of(uri) : "?";
        var timedOut = ex is FlurlHttpTimeoutException || ex.InnerException is TimeoutRejectedException;
        var neverSent = ex.InnerException is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
        // Flurl's own message quotes the whole URL, so only the inner cause is shown, with the URL taken out of it.
        var why = timedOut ? "no answer in time" : (ex.InnerException?.Message ?? ex.Message).Replace(url, CredentialPaths.Of(uri), StringComparison.Ordinal);
        // Not Flurl's exception as the inner one: its message holds the whole URL, which a logged stack trace would print.
        return new OutsideCallException($"{system} did not answer {verb.Method} {path}: {why}", null, timedOut, neverSent, ex.InnerException);
    }

    internal static async Task<string> ReadBodyAsync(IFlurlResponse response)
    {
        try
        {
            return await response.GetStringAsync();
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
        {
            return "";
        }
    }

    // GitHub says `message` (plus `errors[]`), Fly says `error` or `message`; anything else is shown raw, shortened.
    internal static string ErrorText(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject json && (Text(json["message"]) ?? Text(json["error"])) is { } message)
            {
                var codes = (json["errors"] as JsonArray ?? []).OfType<JsonObject>()
                    .Select(e => Text(e["message"]) ?? string.Join(' ', new[] { Text(e["field"]), Text(e["code"]) }.OfType<string>()))
                    .Where(s => s.Length > 0).ToList();
                return Truncate(codes.Count == 0 ? message : $"{message} ({string.Join("; ", codes)})");
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, plain text): fall through to the raw text.
        }

        return body.Trim().Length == 0 ? "(empty body)" : Truncate(body);
    }

    internal static string Truncate(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= MaxBody ? flat : flat[..MaxBody] + "…";
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
