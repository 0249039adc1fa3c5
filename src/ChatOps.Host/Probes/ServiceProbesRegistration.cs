using ChatOps.Core.Ports;
using ChatOps.Host.Http;

namespace ChatOps.Host.Probes;

public static class ServiceProbesRegistration
{
    // Timeouts and retries come from the OutsideCalls section like every other outside call.
    public static IServiceCollection AddServiceProbes(this IServiceCollection services)
    {
        services.AddResilientHttpClient(HttpServiceProbes.HttpClientName);
        services.AddSingleton<HttpServiceProbes>();
        services.AddSingleton<IServiceProbes>(sp => sp.GetRequiredService<HttpServiceProbes>());
        return services;
    }
}
