using ChatOps.Core.Bake;
using ChatOps.Host.Fly;
using ChatOps.Host.PrometheusQueries;
using ChatOps.IntegrationTests.Clients;
using ChatOps.Sandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOps.IntegrationTests.Bake;

// The Prometheus client built the way the host builds it (AddPrometheus, with the Fly token as its default), so the
// outside-call pipeline with its retries is part of every test.
internal static class MetricsClients
{
    public static ServiceProvider Build(Uri prometheus, SandboxServer sandbox, LogCapture logs, Action<IServiceCollection>? configure = null, string? token = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Prometheus:Url"] = prometheus.ToString(),
            ["Fly:ApiBaseUrl"] = sandbox.FlyApiUrl.ToString(),
            ["Fly:ApiToken"] = sandbox.Options.FlyToken,
            ["Fly:RegistryUrl"] = sandbox.FlyRegistryUrl.ToString(),
            ["Fly:PollInterval"] = "00:00:00.050",
            ["OutsideCalls:RetryBaseDelay"] = "00:00:00.050",
            ["OutsideCalls:MaxRetryDelay"] = "00:00:02",
        }).AddInMemoryCollection(token is null ? [] : [new("Prometheus:Token", token)]).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddFly(configuration);
        services.AddPrometheus(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static IMetricsQuery Metrics(this ServiceProvider services) => services.GetRequiredService<IMetricsQuery>();
}
