using System.Globalization;
using System.Text.Json.Nodes;
using ChatOps.Core.Bake;

namespace ChatOps.Host.PrometheusQueries;

/// <summary>A series of a range query: its labels and its points in time.</summary>
public sealed record MetricsSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(DateTimeOffset At, double Value)> Points);

// Reads the query API's answers (reference/prometheus-api.md §2–3): `value: [t, "v"]`, `values: [[t, "v"], …]`, where
// v is a number as a string and may be "NaN", "+Inf" or "-Inf".
internal static class PrometheusJson
{
    public static string? ErrorOf(JsonObject body) =>
        (string?)body["status"] == "success" ? null
        : $"{(string?)body["errorType"] ?? "error"}: {(string?)body["error"] ?? "no reason given"}";

    public static List<MetricsSample> Vector(JsonObject body)
    {
        var data = body["data"] as JsonObject ?? throw new FormatException("no data");
        return (string?)data["resultType"] switch
        {
            "vector" => [.. Results(data).Select(s => new MetricsSample(Labels(s), Point(s["value"]).Value))],
            "scalar" => [new MetricsSample(new Dictionary<string, string>(), Point(data["result"]).Value)],
            var other => throw new FormatException($"a {other ?? "missing"} result where an instant vector was expected"),
        };
    }

    public static List<MetricsSeries> Matrix(JsonObject body)
    {
        var data = body["data"] as JsonObject ?? throw new FormatException("no data");
        if ((string?)data["resultType"] != "matrix")
            throw new FormatException($"a {(string?)data["resultType"] ?? "missing"} result where a range vector was expected");
        return [.. Results(data).Select(s => new MetricsSeries(Labels(s), [.. (s["values"] as JsonArray ?? []).Select(Point)]))];
    }

    private static IEnumerable<JsonObject> Results(JsonObject data) => (data["result"] as JsonArray ?? []).OfType<JsonObject>();

    private static Dictionary<string, string> Labels(JsonObject series) =>
        (series["metric"] as JsonObject ?? []).ToDictionary(p => p.Key, p => (string?)p.Value ?? "", StringComparer.Ordinal);

    private static (DateTimeOffset At, double Value) Point(JsonNode? node)
    {
        if (node is not JsonArray { Count: 2 } pair)
            throw new FormatException("a sample is not [time, value]");
        var seconds = pair[0]!.GetValue<double>();
        return (DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)), Number((string?)pair[1] ?? ""));
    }

    // .NET reads "NaN" but calls infinity "Infinity"; Prometheus writes "+Inf" and "-Inf".
    internal static double Number(string text) => text switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    public static string Time(DateTimeOffset at) =>
        (at.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
}
