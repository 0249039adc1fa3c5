using System.Text.Json.Nodes;
using ChatOps.Core.Ports;
using Flurl.Http;

namespace ChatOps.Host.Probes;

// Runbook §5: is each service up, and is it running the tag just deployed?
internal sealed class HealthProbe(ProbeHttp http)
{
    public async Task<ProbeResult> HealthAsync(string url, CancellationToken cancellationToken)
    {
        using var client = http.Open();
        var answer = await ProbeHttp.SendAsync(client.Request(url), HttpMethod.Get, null, cancellationToken);
        var status = answer.Json?["status"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        return new ProbeResult(answer.Success && status == "ok", status, answer.Detail);
    }

    public async Task<ProbeResult> VersionAsync(string url, string apiKey, CancellationToken cancellationToken)
    {
        using var client = http.Open();
        var answer = await ProbeHttp.SendAsync(client.Request(url).WithHeader(ProbeHttp.ApiKeyHeader, apiKey), HttpMethod.Get, null, cancellationToken);
        var version = answer.Json?["version"] is JsonValue v ? v.ToString() : null;
        return new ProbeResult(answer.Success && !string.IsNullOrEmpty(version), version, answer.Detail);
    }
}
