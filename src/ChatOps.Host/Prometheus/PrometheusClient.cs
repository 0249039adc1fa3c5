using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOps.Core.Bake;
using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.PrometheusQueries;

/// <summary>
/// Instant and range queries against Prometheus's HTTP API. Every call goes through the outside-call pipeline (timeouts,
/// retries on 429/5xx honouring Retry-After); a 400 or 422 is Prometheus's answer about the query itself, so it is
/// read, not retried. For the bake, every failure is an answer with its reason, never an exception.
/// </summary>
internal sealed class PrometheusClient(PrometheusApi api, ILogger<PrometheusClient> logger) : IMetricsQuery
{
    // bad_data (the query does not parse) and execution (it cannot be evaluated).
    private static readonly int[] QueryErrors = [400, 422];

    public async Task<MetricsAnswer> QueryAsync(string query, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!api.Options.IsConfigured)
            return MetricsAnswer.Failed("no Prometheus configured (Prometheus:Url)");
        try
        {
            using var client = api.Open();
            var body = await SendAsync(PrometheusApi.Query(client).SetQueryParams(new { query, time = PrometheusJson.Time(at) }), cancellationToken);
            return PrometheusJson.ErrorOf(body) is { } error ? MetricsAnswer.Failed($"Prometheus refused the query: {error}") : new MetricsAnswer(PrometheusJson.Vector(body), null);
        }
        catch (Exception e) when (e is OutsideCallException or FormatException or JsonException or InvalidOperationException)
        {
            logger.LogWarning("Prometheus query failed: {Reason}", e.Message);
            return MetricsAnswer.Failed(e is OutsideCallException ? e.Message : $"Prometheus answered with a body we could not read: {e.Message}");
        }
    }

    /// <summary>A range query; unlike the bake's port, a failure throws, with Prometheus's reason.</summary>
    public async Task<IReadOnlyList<MetricsSeries>> QueryRangeAsync(string query, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken)
    {
        using var client = api.Open();
        var request = PrometheusApi.QueryRange(client).SetQueryParams(new
        {
            query,
            start = PrometheusJson.Time(start),
            end = PrometheusJson.Time(end),
            step = step.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
        });
        var body = await SendAsync(request, cancellationToken);
        return PrometheusJson.ErrorOf(body) is { } error
            ? throw new OutsideCallException($"Prometheus refused the query: {error}")
            : PrometheusJson.Matrix(body);
    }

    private static async Task<JsonObject> SendAsync(IFlurlRequest request, CancellationToken cancellationToken) =>
        await (await request.SendAsync(PrometheusApi.SystemName, HttpMethod.Get, null, cancellationToken, QueryErrors)).ReadJsonAsync<JsonObject>(PrometheusApi.SystemName);
}
