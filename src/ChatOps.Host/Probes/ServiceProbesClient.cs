using ChatOps.Core.Ports;
using ChatOps.Core.Settings;

namespace ChatOps.Host.Probes;

// The port's four questions go to three probes, one per runbook step: Verify, Smoke, Observe.
public sealed class ServiceProbesClient : IServiceProbes
{
    private readonly HealthProbe _health;
    private readonly SmokeProbe _smoke;
    private readonly ObservabilityProbe _observability;

    public ServiceProbesClient(IHttpClientFactory httpClients)
    {
        var http = new ProbeHttp(httpClients);
        _health = new HealthProbe(http);
        _smoke = new SmokeProbe(http);
        _observability = new ObservabilityProbe(http);
    }

    public Task<ProbeResult> HealthAsync(string url, CancellationToken cancellationToken) =>
        _health.HealthAsync(url, cancellationToken);

    public Task<ProbeResult> VersionAsync(string url, string apiKey, CancellationToken cancellationToken) =>
        _health.VersionAsync(url, apiKey, cancellationToken);

    public Task<SmokeResult> SmokeAsync(
        SmokeTestSettings test, string apiKey, IReadOnlyDictionary<string, string> captured, CancellationToken cancellationToken) =>
        _smoke.SmokeAsync(test, apiKey, captured, cancellationToken);

    public Task<ProbeResult> ObserveAsync(ObservabilitySettings settings, DateTimeOffset since, CancellationToken cancellationToken) =>
        _observability.ObserveAsync(settings, since, cancellationToken);
}
