using ChatOps.Core.Ports;
using ChatOps.Host.Http;

namespace ChatOps.Host.Probes;

public static class ServiceProbesRegistration
{
    // Timeouts and retries come from the OutsideCalls section like every other outside call.
    public static IServiceCollection AddServiceProbes(this IServiceCollection services)
    {
        services.AddResilientHttpClient(ProbeHttp.HttpClientName);
        services.AddSingleton<IServiceProbes, ServiceProbesClient>();
        return services;
    }
}
