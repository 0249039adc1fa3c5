using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace ChatOps.Host.Metrics;

// /metrics on its own port, never on the public one: Fly scrapes the [metrics] port over the private network, and the
// public proxy forwards only the http_service port, so the figures stay inside. The host listens on both; which one a
// request came in on is the connection's local port (not the Host header, which a caller writes).
public static class MetricsPort
{
    public static IServiceCollection AddMetricsPort(this IServiceCollection services)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>());
        return services;
    }

    /// <summary>
    /// Adds the metrics port to where the host listens, on the same interface as the public address (the loopback
    /// stays the loopback; the image's every interface, ASPNETCORE_HTTP_PORTS, stays every interface).
    /// </summary>
    public static void Listen(ConfigurationManager configuration)
    {
        var port = configuration.GetValue(MetricsOptions.Section + ":Port", new MetricsOptions().Port);
        if (port is <= 0 or > 65535)
            return;
        var urls = configuration["urls"] is { Length: > 0 } set
            ? set.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : (configuration["http_ports"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}").ToArray();
        if (urls.Length == 0)
            return;
        var host = HostOf(urls[0]);
        configuration["urls"] = string.Join(';', urls.Append($"http://{host}:{port}"));
        // Urls now names the public port too; left set, HTTP_PORTS would only earn a warning that Urls wins.
        configuration["http_ports"] = "";
    }

    public static void MapMetricsPort(this WebApplication app)
    {
        var port = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Port;
        if (port > 0)
            app.UseWhen(context => context.Connection.LocalPort == port, metrics => metrics.UseMetricServer("/metrics"));
    }

    // "http://*:8080" → "*", "http://127.0.0.1:0" → "127.0.0.1", "http://[::1]:80" → "[::1]".
    private static string HostOf(string url)
    {
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var end = rest.StartsWith('[') ? rest.IndexOf(']', StringComparison.Ordinal) + 1 : rest.IndexOfAny([':', '/']);
        return end <= 0 ? rest : rest[..end];
    }
}
