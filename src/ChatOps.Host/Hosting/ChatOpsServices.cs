using System.Reflection;
using ChatOps.Core;
using ChatOps.Core.Chat;
using ChatOps.Core.Decisions;
using ChatOps.Core.Ports;
using ChatOps.Core.Runner;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;
using ChatOps.Host.Console;
using ChatOps.Host.Database;
using ChatOps.Host.Fly;
using ChatOps.Host.GitHub;
using ChatOps.Host.Probes;
using ChatOps.Host.Store;
using ChatOps.Sandbox;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Hosting;

public static class ChatOpsServices
{
    public static string BotVersion { get; } =
        typeof(ChatOpsServices).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    public static IServiceCollection AddChatOps(this IServiceCollection services, IConfiguration configuration, SandboxServer? sandbox)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IValidateOptions<ChatOpsSettings>, ChatOpsSettingsValidator>();
        services.AddOptions<ChatOpsSettings>().BindConfiguration("ChatOps").ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ChatOpsSettings>>().Value);
        if (sandbox is not null)
            services.AddSingleton(sandbox);

        services.AddStore(configuration, sandbox is not null);
        services.AddGitHub(configuration);
        services.AddFly(configuration);
        services.AddTelegram(configuration);
        services.AddSlack(configuration);
        services.AddServiceProbes();
        services.AddSingleton<PostgresTarget>();
        services.AddSingleton<IDatabaseOperations, TargetDatabase>();
        services.AddSingleton(sp => new ReleasePorts(
            sp.GetRequiredService<ISourceControl>(), sp.GetRequiredService<IDeployTarget>(),
            sp.GetRequiredService<IDatabaseOperations>(), sp.GetRequiredService<IServiceProbes>()));
        services.AddSingleton(sp => new RunnerSettings(sp.GetRequiredService<IOptions<GitHubOptions>>().Value.RequiredChecks, BotVersion)
        {
            VerifyInterval = configuration.GetValue("ChatOps:VerifyInterval", TimeSpan.FromSeconds(1)),
            VerifyAttempts = configuration.GetValue("ChatOps:VerifyAttempts", 5),
            LeaseTtl = configuration.GetValue("ChatOps:LeaseTtl", TimeSpan.FromSeconds(30)),
        });

        services.AddReleaseCore();
        services.AddHostedService<ReleaseRunnerService>();

        services.AddSingleton(ConsoleIO.System());
        services.AddSingleton<ConsoleSurface>();
        services.AddSingleton<IChatSurface>(sp => sp.GetRequiredService<ConsoleSurface>());
        if (configuration.GetValue("Console:Enabled", sandbox is not null))
        {
            services.AddSingleton<ConsoleChat>();
            services.AddHostedService(sp => sp.GetRequiredService<ConsoleChat>());
        }
        return services;
    }
}
