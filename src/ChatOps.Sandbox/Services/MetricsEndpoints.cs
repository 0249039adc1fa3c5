using System.Globalization;

namespace ChatOps.Sandbox;

// What Fly's proxy exports (/metrics, for the tests' real Prometheus to scrape) and a Prometheus query API answering
// from the same counts (/prometheus/api/v1/query, for the console, which runs no Prometheus), read with the Fly token.
internal static class MetricsEndpoints
{
    public const string PrometheusPrefix = "/prometheus";

    public static void MapProxyMetrics(this WebApplication app, ProxyCounters counters, SandboxOptions options, SandboxFaults faults)
    {
        app.MapGet("/metrics", () => Results.Text(FlyProxyMetrics.Write(counters.Series()), FlyProxyMetrics.ContentType));

        var promQl = new SandboxPromQl(counters);
        app.MapMethods(PrometheusPrefix + "/api/v1/query", ["GET", "POST"], async (HttpContext context) =>
        {
            if (faults.TakePrometheus() is { } fault)
            {
                if (fault.RetryAfterHeader is { } retryAfter)
                    context.Response.Headers.RetryAfter = retryAfter;
                return Answer(PromAnswer.Unavailable(fault.StatusCode));
            }
            var auth = context.Request.Headers.Authorization.ToString();
            if (auth != "Bearer " + options.FlyToken && auth != "FlyV1 " + options.FlyToken && auth != options.FlyToken)
                return SandboxJson.Json(new { error = "You must be authenticated to view this." }, 401);

            var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
            var query = form?["query"].ToString() is { Length: > 0 } posted ? posted : context.Request.Query["query"].ToString();
            var time = form?["time"].ToString() is { Length: > 0 } postedTime ? postedTime : context.Request.Query["time"].ToString();
            if (query.Length == 0)
                return Answer(PromAnswer.BadData("invalid parameter \"query\": parse error: no expression found in input"));
            if (!TryTime(time, out var at))
                return Answer(PromAnswer.BadData($"invalid parameter \"time\": cannot parse \"{time}\" to a valid timestamp"));
            return Answer(promQl.Evaluate(query, at));
        });
    }

    private static IResult Answer(PromAnswer answer) => SandboxJson.Json(answer.Body, answer.StatusCode);

    // Unix seconds with a fraction, or RFC 3339, as Prometheus takes it; none: now.
    private static bool TryTime(string text, out DateTimeOffset at)
    {
        at = DateTimeOffset.UtcNow;
        if (text.Length == 0)
            return true;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            at = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
            return true;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
    }
}
