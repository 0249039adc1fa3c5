using ChatOps.Core.Settings;

namespace ChatOps.Core.Ports;

/// <summary>HTTP probes of the released services: health, version, smoke tests and observability.</summary>
public interface IServiceProbes
{
    Task<ProbeResult> HealthAsync(string url, CancellationToken cancellationToken);

    Task<ProbeResult> VersionAsync(string url, string apiKey, CancellationToken cancellationToken);

    Task<SmokeResult> SmokeAsync(SmokeTestSettings test, string apiKey, IReadOnlyDictionary<string, string> captured, CancellationToken cancellationToken);

    Task<ProbeResult> ObserveAsync(ObservabilitySettings settings, DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>A probe's verdict; <paramref name="Value"/> is the status or version read from the answer.</summary>
public sealed record ProbeResult(bool Ok, string? Value, string Detail);

public sealed record SmokeResult(bool Ok, string Detail, IReadOnlyDictionary<string, string> Captured);
