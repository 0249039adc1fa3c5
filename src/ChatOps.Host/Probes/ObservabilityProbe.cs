using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOps.Core.Ports;
using ChatOps.Core.Settings;
using Flurl;
using Flurl.Http;

namespace ChatOps.Host.Probes;

// Runbook §8: the deployed service still reports to Prometheus and LangSmith.
internal sealed class ObservabilityProbe(ProbeHttp http)
{
    // Scrapes and ingestion lag behind the deploy; a sample from shortly before it still shows the pipeline works.
    private static readonly TimeSpan SampleSlack = TimeSpan.FromMinutes(5);

    public async Task<ProbeResult> ObserveAsync(ObservabilitySettings settings, DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (!settings.IsConfigured)
        {
            return new ProbeResult(true, null, "no observability configured");
        }

        using var client = http.Open();
        List<ProbeResult> results = [];
        if (settings.PrometheusUrl.Length > 0)
        {
            results.Add(await PrometheusAsync(client, settings, since, cancellationToken));
        }

        if (settings.LangSmithUrl.Length > 0)
        {
            results.Add(await LangSmithAsync(client, settings, since, cancellationToken));
        }

        return new ProbeResult(results.All(r => r.Ok), string.Join(", ", results.Select(r => r.Value)), string.Join("; ", results.Select(r => r.Detail)));
    }

    private static async Task<ProbeResult> PrometheusAsync(IFlurlClient client, ObservabilitySettings settings, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var request = client.Request(Url.Combine(settings.PrometheusUrl, "api/v1/query")).SetQueryParam("query", settings.Query);
        var answer = await ProbeHttp.SendAsync(request, HttpMethod.Get, null, cancellationToken);
        if (!answer.Success || Text(answer.Json?["status"]) != "success")
        {
            return new ProbeResult(false, null, $"Prometheus: {answer.Detail}");
        }

        var cutoff = (since - SampleSlack).ToUnixTimeMilliseconds() / 1000.0;
        var series = answer.Json?["data"]?["result"] as JsonArray ?? [];
        var recent = series.OfType<JsonObject>().Count(s => SampleTimes(s).Any(t => t >= cutoff));
        return recent > 0
            ? new ProbeResult(true, $"{recent} series", $"Prometheus: {recent} of {series.Count} series have samples since the deploy")
            : new ProbeResult(false, "0 series", $"Prometheus: `{settings.Query}` has no samples since {since:u} ({series.Count} series)");
    }

    private static async Task<ProbeResult> LangSmithAsync(IFlurlClient client, ObservabilitySettings settings, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var name = settings.LangSmithRunName.Replace("\"", "\\\"", StringComparison.Ordinal);
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["session"] = new[] { settings.LangSmithProject },
            ["filter"] = $"eq(name, \"{name}\")",
            ["start_time"] = since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        });
        var request = client.Request(Url.Combine(settings.LangSmithUrl, "api/v1/runs/query")).WithHeader(ProbeHttp.ApiKeyHeader, settings.LangSmithApiKey);
        var answer = await ProbeHttp.SendAsync(request, HttpMethod.Post, body, cancellationToken);
        var runs = (answer.Json?["runs"] as JsonArray)?.Count ?? 0;
        return answer.Success && runs > 0
            ? new ProbeResult(true, $"{runs} runs", $"LangSmith: {runs} `{settings.LangSmithRunName}` runs since the deploy")
            : new ProbeResult(false, $"{runs} runs", answer.Success
                ? $"LangSmith: no `{settings.LangSmithRunName}` run in {settings.LangSmithProject} since {since:u}"
                : $"LangSmith: {answer.Detail}");
    }

    // An instant vector has `value: [t, "v"]`, a range vector `values: [[t, "v"], …]`; t is Unix seconds.
    private static IEnumerable<double> SampleTimes(JsonObject series)
    {
        var samples = series["values"] as JsonArray ?? (series["value"] is JsonArray one ? [one.DeepClone()] : []);
        foreach (var sample in samples.OfType<JsonArray>())
        {
            if (sample.Count > 0 && sample[0] is JsonValue t && t.TryGetValue<double>(out var seconds))
            {
                yield return seconds;
            }
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
