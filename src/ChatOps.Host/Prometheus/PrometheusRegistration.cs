using ChatOps.Core.Bake;
using ChatOps.Host.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.PrometheusQueries;

public static class PrometheusRegistration
{
    public static IServiceCollection AddPrometheus(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PrometheusOptions>()
            .Bind(configuration.GetSection(PrometheusOptions.Section))
            .PostConfigure(o => o.Url = o.Url.Trim().TrimEnd('/'))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PrometheusOptions>, PrometheusOptionsValidator>());
        services.AddResilientHttpClient(PrometheusApi.HttpClientName)
            .Configure<IOptions<PrometheusOptions>>((call, prometheus) =>
            {
                call.AttemptTimeout = prometheus.Value.Timeout;
                call.TotalTimeout = prometheus.Value.TotalTimeout;
            });
        services.AddSingleton<PrometheusApi>();
        services.AddSingleton<PrometheusClient>();
        services.AddSingleton<IMetricsQuery>(sp => sp.GetRequiredService<PrometheusClient>());
        return services;
    }
}
