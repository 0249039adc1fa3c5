using Microsoft.Extensions.Options;

namespace ChatOps.Host.Metrics;

public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    // Fly scrapes [metrics] on a port of the private network; 9091 is Prometheus's own convention for a pushgateway-free
    // exporter port and is what fly.toml names. 0: no /metrics at all.
    public int Port { get; set; } = 9091;
}

internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options) =>
        options.Port is < 0 or > 65535
            ? ValidateOptionsResult.Fail("Metrics:Port must be a port (1 to 65535), or 0 for no /metrics")
            : ValidateOptionsResult.Success;
}
