using ChatOps.Core.Ports;
using ChatOps.Host.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Fly;

public static class FlyRegistration
{
    public static IServiceCollection AddFly(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FlyOptions>()
            .Bind(configuration.GetSection(FlyOptions.Section))
            .PostConfigure(o =>
            {
                o.ApiBaseUrl = o.ApiBaseUrl.TrimEnd('/');
                o.RegistryUrl = o.RegistryUrl.TrimEnd('/');
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FlyOptions>, FlyOptionsValidator>());
        services.AddResilientHttpClient(FlyClient.HttpClientName)
            .Configure<IOptions<FlyOptions>>((call, fly) => call.AttemptTimeout = fly.Value.Timeout);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FlyClient>();
        services.AddSingleton<IDeployTarget>(sp => sp.GetRequiredService<FlyClient>());
        services.AddSingleton<IImageRegistry, FlyRegistry>();
        return services;
    }
}
