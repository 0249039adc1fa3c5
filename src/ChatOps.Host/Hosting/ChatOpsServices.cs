using System.Reflection;
using ChatOps.Core;
using ChatOps.Core.Bake;
using ChatOps.Core.Ports;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;
using ChatOps.Host.Console;
using ChatOps.Host.Doctor;
using ChatOps.Host.Fly;
using ChatOps.Host.GitHub;
using ChatOps.Host.Incidents;
using ChatOps.Host.Probes;
using ChatOps.Host.PrometheusQueries;
using ChatOps.Host.Slack;
using ChatOps.Host.Store;
using ChatOps.Host.TargetDatabase;
using ChatOps.Host.Telegram;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Hosting;

public static class ChatOpsServices
{
    public static string BotVersion { get; } =
        typeof(ChatOpsServices).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    public static IServiceCollection AddChatOps(this IServiceCollection services, IConfiguration configuration, bool sandbox)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IValidateOptions<ChatOpsSettings>, ChatOpsSettingsValidator>();
        services.AddOptions<ChatOpsSettings>().BindConfiguration("ChatOps")
            // A relative Backup:Directory lies beside the bot's own data (ChatOps:StorePath's folder, the image's /data
            // volume), not under the read-only folder the bot runs from: so the image names no environment to say where.
            .PostConfigure(settings => AnchorBackups(settings, configuration["ChatOps:StorePath"] is { Length: > 0 } store ? store : new StoreOptions().StorePath))
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ChatOpsSettings>>().Value);

        services.AddStore(configuration, sandbox);
        services.AddGitHub(configuration);
        services.AddFly(configuration);
        services.AddTelegram(configuration);
        services.AddSlack(configuration);
        services.AddIncidentWebhook();
        services.AddServiceProbes();
        services.AddPrometheus(configuration);
        services.AddTargetDatabase();
        services.AddDoctor(configuration);
        services.AddReadinessChecks();
        services.AddSingleton(sp => new ReleasePorts(
            sp.GetRequiredService<ISourceControl>(), sp.GetRequiredService<IDeployTarget>(),
            sp.GetRequiredService<IDatabaseOperations>(), sp.GetRequiredService<IServiceProbes>(), sp.GetRequiredService<IImageRegistry>(),
            // No Prometheus:Url, no figures: a bake then watches the machines alone.
            sp.GetRequiredService<IOptions<PrometheusOptions>>().Value.IsConfigured ? sp.GetRequiredService<IMetricsQuery>() : null));
        services.AddSingleton<IValidateOptions<RunnerOptions>, RunnerOptionsValidator>();
        services.AddOptions<RunnerOptions>().BindConfiguration(RunnerOptions.Section).ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var runner = sp.GetRequiredService<IOptions<RunnerOptions>>().Value;
            return new RunnerSettings(sp.GetRequiredService<IOptions<GitHubOptions>>().Value.RequiredChecks, BotVersion)
            {
                VerifyInterval = runner.VerifyInterval,
                VerifyAttempts = runner.VerifyAttempts,
                LeaseTtl = runner.LeaseTtl,
            };
        });

        services.AddReleaseCore();
        services.AddHostedService<ReleaseRunnerService>();
        services.AddHostedService<StartupLine>();
        services.AddConsoleChat(configuration, sandbox);
        return services;
    }

    private static void AnchorBackups(ChatOpsSettings settings, string storePath)
    {
        var data = Path.GetDirectoryName(storePath) ?? "";
        foreach (var env in settings.Environments.Values.Where(e => !Path.IsPathRooted(e.Backup.Directory)))
            env.Backup.Directory = Path.Combine(data, env.Backup.Directory);
    }
}
