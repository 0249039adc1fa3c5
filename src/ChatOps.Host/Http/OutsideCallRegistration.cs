using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Http;

public static class OutsideCallRegistration
{
    // A named HttpClient whose every call goes through the timeout + retry pipeline. The returned builder lets an
    // adapter adjust its own instance of the options (its attempt timeout).
    public static OptionsBuilder<OutsideCallOptions> AddResilientHttpClient(this IServiceCollection services, string name)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutsideCallOptions>, OutsideCallOptionsValidator>());
        services.AddHttpClient(name)
            .AddResilienceHandler("outside-call", (builder, context) =>
            {
                var options = context.GetOptions<OutsideCallOptions>(name);
                var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("ChatOps.Host.Http.OutsideCalls");
                OutsideCallPipeline.Configure(builder, options, logger, context.ServiceProvider.GetRequiredService<TimeProvider>());
            });
        return services.AddOptions<OutsideCallOptions>(name).BindConfiguration(OutsideCallOptions.Section).ValidateOnStart();
    }
}
