using ChatOps.Core.Cards;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Console;

public static class ConsoleRegistration
{
    // The surface is always there (tests and scripts drive ConsoleChat themselves); only reading stdin is switched.
    public static IServiceCollection AddConsoleChat(this IServiceCollection services, IConfiguration configuration, bool sandbox)
    {
        services.AddSingleton<IValidateOptions<ConsoleOptions>, ConsoleOptionsValidator>();
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section)
            // An empty Console:User (Console__User= in a shell) has always meant the default user.
            .PostConfigure(o => o.User = o.User.Length == 0 ? ConsoleOptions.DefaultUser : o.User)
            .ValidateOnStart();
        services.AddSingleton(ConsoleIO.System());
        services.AddSingleton<ConsoleSurface>();
        services.AddSingleton<IChatSurface>(sp => sp.GetRequiredService<ConsoleSurface>());
        // Decided while registering, so read from the section: the options are not built yet.
        if (configuration.GetSection(ConsoleOptions.Section).GetValue<bool?>(nameof(ConsoleOptions.Enabled)) ?? sandbox)
        {
            services.AddSingleton<ConsoleChat>();
            services.AddHostedService(sp => sp.GetRequiredService<ConsoleChat>());
        }
        return services;
    }
}
