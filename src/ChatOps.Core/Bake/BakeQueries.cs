namespace ChatOps.Core.Bake;

/// <summary>
/// The PromQL of the built-in checks, per Fly app, over Fly's proxy metrics (reference/prometheus-api.md §4). Only
/// functions and syntax that MetricsQL shares with PromQL: Fly's Prometheus is VictoriaMetrics, the tests' is Prometheus.
/// </summary>
public static class BakeQueries
{
    public const string Responses = "fly_app_http_responses_count";
    public const string LatencyBuckets = "fly_app_http_response_time_seconds_bucket";

    // increase(), never raw differences: a machine that restarts resets its counters.
    public static string Requests(string app, string range) =>
        $"sum(increase({Responses}{{app=\"{Escape(app)}\"}}[{range}]))";

    // The 5xx count, not the ratio: a 5xx series exists only once the proxy has answered one, so a release without any
    // has no series here, and a ratio query would come back empty (unknown) where the truth is zero. The analysis
    // divides, and reads an empty count as zero only when the request count itself is known.
    public static string Errors(string app, string range) =>
        $"sum(increase({Responses}{{app=\"{Escape(app)}\",status=~\"5..\"}}[{range}]))";

    // No traffic makes every bucket's rate 0 and histogram_quantile NaN: never a figure.
    public static string P95(string app, string range) =>
        $"histogram_quantile(0.95, sum by (le) (rate({LatencyBuckets}{{app=\"{Escape(app)}\"}}[{range}])))";

    /// <summary>An operator's query with its placeholders filled; <paramref name="app"/> is null for a check of the whole environment.</summary>
    public static string Fill(string query, string? app, string range) =>
        query.Replace("{window}", range, StringComparison.Ordinal)
            .Replace("{app}", app is null ? "" : Escape(app), StringComparison.Ordinal);

    public static bool IsPerService(string query) => query.Contains("{app}", StringComparison.Ordinal);

    // A label value inside double quotes: backslash and quote escaped, as PromQL's string literal reads them.
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
