using System.Globalization;
using System.Text;

namespace ChatOps.Sandbox;

/// <summary>
/// The simulated proxy's counts in Prometheus's text format, one series per machine and status, named and labelled as
/// Fly's proxy metrics are (reference/prometheus-api.md §1). Written by hand rather than with prometheus-net: a sandbox
/// instance owns its counts, and many run in one test process.
/// </summary>
internal static class FlyProxyMetrics
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IReadOnlyList<MachineSeries> series)
    {
        var text = new StringBuilder();
        text.Append("# HELP fly_app_http_responses_count HTTP responses the app gave through Fly's proxy (simulated).\n");
        text.Append("# TYPE fly_app_http_responses_count counter\n");
        foreach (var s in series)
            text.Append(CultureInfo.InvariantCulture, $"fly_app_http_responses_count{{{Labels(s)}}} {s.Count}\n");
        text.Append("# HELP fly_app_http_response_time_seconds Response times of the app through Fly's proxy (simulated).\n");
        text.Append("# TYPE fly_app_http_response_time_seconds histogram\n");
        foreach (var s in series)
        {
            long cumulative = 0;
            for (var i = 0; i <= LatencyModel.Buckets.Length; i++)
            {
                cumulative += s.Buckets[i];
                var le = i < LatencyModel.Buckets.Length ? LatencyModel.Buckets[i].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
                text.Append(CultureInfo.InvariantCulture, $"fly_app_http_response_time_seconds_bucket{{{Labels(s)},le=\"{le}\"}} {cumulative}\n");
            }
            text.Append(CultureInfo.InvariantCulture, $"fly_app_http_response_time_seconds_sum{{{Labels(s)}}} {s.Sum.ToString("R", CultureInfo.InvariantCulture)}\n");
            text.Append(CultureInfo.InvariantCulture, $"fly_app_http_response_time_seconds_count{{{Labels(s)}}} {s.Count}\n");
        }
        return text.ToString();
    }

    private static string Labels(MachineSeries s) =>
        string.Create(CultureInfo.InvariantCulture, $"app=\"{s.App}\",instance=\"{s.Instance}\",region=\"{s.Region}\",status=\"{s.Status}\"");
}
