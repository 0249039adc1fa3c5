using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.Probes;

// Probes report what they saw instead of throwing: a 503 or a refused connection is a verdict for the release,
// worded for the chat card. Singleton: each probe opens a Flurl client on the pooled handler.
internal sealed class ProbeHttp(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "ServiceProbes";
    public const string ApiKeyHeader = "x-api-key";

    public IFlurlClient Open() => httpClients.CreateFlurlClient(HttpClientName, "", OutsideCalls.WebJson);

    // Never throws for an answer or a missing one; only the caller's cancellation escapes. A 503 is the verdict, not
    // a reason to retry: the release runner repeats probes on its own schedule, and a smoke POST creates a run each time.
    public static async Task<ProbeAnswer> SendAsync(IFlurlRequest request, HttpMethod verb, string? body, CancellationToken cancellationToken)
    {
        var where = $"{verb.Method} {request.Url.Root}{request.Url.Path}";
        try
        {
            var content = string.IsNullOrEmpty(body) ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await request.OnlyRetryRateLimits().SendAsync(verb, content, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var text = await OutsideCallException.ReadBodyAsync(response);
            return new ProbeAnswer(response.StatusCode, Parse(text), $"{response.StatusCode} {OutsideCallException.Truncate(text)}", where);
        }
        catch (FlurlHttpException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var why = ex is FlurlHttpTimeoutException || ex.InnerException is Polly.Timeout.TimeoutRejectedException
                ? "no answer in time"
                : ex.InnerException?.Message ?? ex.Message;
            return new ProbeAnswer(0, null, $"no answer from {where}: {why}", where);
        }
    }

    private static JsonObject? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal sealed record ProbeAnswer(int Status, JsonObject? Json, string Detail, string Where)
{
    public bool Success => Status is >= 200 and < 300;
}
