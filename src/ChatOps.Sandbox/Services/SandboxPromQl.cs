using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatOps.Sandbox;

/// <summary>
/// The sandbox's Prometheus, for the console, which starts no outside process: it evaluates the bake's built-in queries
/// (exactly as the bot writes them) from the simulated proxy's counts, and refuses any other query as Prometheus refuses
/// one it cannot parse. Like Prometheus, no traffic gives a NaN p95, and a counter nobody incremented has no series.
/// </summary>
internal sealed partial class SandboxPromQl(ProxyCounters counters)
{
    public PromAnswer Evaluate(string query, DateTimeOffset at)
    {
        var text = query.Trim();
        if (text == "vector(1)")
            return PromAnswer.Value(at, 1);
        if (Requests().Match(text) is { Success: true } requests)
            return Increase(requests, at, (from, to) => to.Requests == 0 ? null : to.Requests - from.Requests);
        if (Errors().Match(text) is { Success: true } errors)
            return Increase(errors, at, (from, to) => to.Errors == 0 ? null : to.Errors - from.Errors);
        if (P95().Match(text) is { Success: true } p95)
            return Increase(p95, at, (from, to) => to.Requests == 0 ? null : Quantile(0.95, [.. to.Buckets.Select((n, i) => n - from.Buckets[i])]));
        if (Count().Match(text) is { Success: true } count)
            return counters.At(count.Groups["app"].Value, at) is { Requests: > 0 } ? PromAnswer.Value(at, 1) : PromAnswer.NoSeries;
        return PromAnswer.BadData($"the sandbox's Prometheus answers only the bake's built-in queries, not `{text}`");
    }

    // A series exists only once counted (null: none); its increase over the window ending at `at`. A window reaching
    // back before the first count starts at the first count, as a series born inside a window does in Prometheus.
    private PromAnswer Increase(Match match, DateTimeOffset at, Func<AppTotals, AppTotals, double?> value)
    {
        var app = match.Groups["app"].Value;
        var seconds = long.Parse(match.Groups["range"].Value, CultureInfo.InvariantCulture);
        if (counters.At(app, at) is not { } to)
            return PromAnswer.NoSeries;
        var from = counters.At(app, at.AddSeconds(-seconds)) ?? counters.First(app) ?? to;
        return value(from, to) is { } v ? PromAnswer.Value(at, v) : PromAnswer.NoSeries;
    }

    // histogram_quantile's rule: linear within the bucket that holds the rank, from 0 in the first; a rank in +Inf gives the
    // highest finite bound; no observations give NaN.
    internal static double Quantile(double q, long[] buckets)
    {
        var total = buckets.Sum();
        if (total == 0)
            return double.NaN;
        var rank = q * total;
        long below = 0;
        for (var i = 0; i < LatencyModel.Buckets.Length; i++)
        {
            if (below + buckets[i] >= rank)
            {
                var lower = i == 0 ? 0 : LatencyModel.Buckets[i - 1];
                return lower + ((LatencyModel.Buckets[i] - lower) * (rank - below) / buckets[i]);
            }
            below += buckets[i];
        }
        return LatencyModel.Buckets[^1];
    }

    [GeneratedRegex("""^sum\(increase\(fly_app_http_responses_count\{app="(?<app>[^"\\]+)"\}\[(?<range>[0-9]+)s\]\)\)$""")]
    private static partial Regex Requests();

    [GeneratedRegex("""^sum\(increase\(fly_app_http_responses_count\{app="(?<app>[^"\\]+)",status=~"5\.\."\}\[(?<range>[0-9]+)s\]\)\)$""")]
    private static partial Regex Errors();

    [GeneratedRegex("""^histogram_quantile\(0\.95, sum by \(le\) \(rate\(fly_app_http_response_time_seconds_bucket\{app="(?<app>[^"\\]+)"\}\[(?<range>[0-9]+)s\]\)\)\)$""")]
    private static partial Regex P95();

    // The doctor's question: has the app any proxy metrics?
    [GeneratedRegex("""^count\(fly_app_http_responses_count\{app="(?<app>[^"\\]+)"\}\)$""")]
    private static partial Regex Count();
}

/// <summary>An instant query's answer in Prometheus's shape: a vector of at most one series without labels, or an error.</summary>
internal sealed record PromAnswer(int StatusCode, object Body)
{
    public static readonly PromAnswer NoSeries = new(200, new { status = "success", data = new { resultType = "vector", result = Array.Empty<object>() } });

    public static PromAnswer Value(DateTimeOffset at, double value) => new(200, new
    {
        status = "success",
        data = new { resultType = "vector", result = new[] { new { metric = new Dictionary<string, string>(), value = new object[] { Seconds(at), Text(value) } } } },
    });

    public static PromAnswer BadData(string error) => new(400, new { status = "error", errorType = "bad_data", error });

    public static PromAnswer Unavailable(int statusCode) =>
        new(statusCode, new { status = "error", errorType = statusCode == 429 ? "too_many_requests" : "unavailable", error = statusCode == 429 ? "rate limit exceeded" : "service unavailable" });

    private static double Seconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;

    // Prometheus writes sample values as strings, NaN and infinities spelled its way.
    private static string Text(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
