using System.Reflection;
using ChatOps.Core.Cards;
using ChatOps.Core.Chat;
using ChatOps.Core.Ports;
using ChatOps.Core.Runner;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;
using ChatOps.Host.Console;
using ChatOps.Host.Fly;
using ChatOps.Host.GitHub;
using ChatOps.Host.Metrics;
using ChatOps.Host.Probes;
using ChatOps.Host.Slack;
using ChatOps.Host.Store;
using ChatOps.Host.TargetDatabase;
using ChatOps.Host.Telegram;
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
        services.AddTargetDatabase();
        services.AddSingleton(sp => new ReleasePorts(
            sp.GetRequiredService<ISourceControl>(), sp.GetRequiredService<IDeployTarget>(),
            sp.GetRequiredService<IDatabaseOperations>(), sp.GetRequiredService<IServiceProbes>()));
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

        services.AddSingleton<CardPublisher>();
        services.AddSingleton<ReleaseRunner>();
        services.AddSingleton<StatusReporter>();
        services.AddSingleton<DryRunPlanner>();
        services.AddSingleton<ChatOpsBot>();
        services.AddHostedService<ReleaseRunnerService>();
        services.AddConsoleChat(configuration, sandbox is not null);
        return services;
    }

    private static void AddStore(this IServiceCollection services, IConfiguration configuration, bool sandbox)
    {
        // DATABASE_URL is mapped onto this key; a postgres:// URL or an Npgsql key=value string. Set, it wins even in the sandbox.
        if (configuration.GetConnectionString("ChatOps") is { Length: > 0 } connectionString)
        {
            services.AddSingleton(_ => new PostgresStore(PostgresConnectionString.DataSource(connectionString)));
            // Registered before the runner's hosted service, so the schema is migrated before anything uses the store.
            services.AddHostedService(sp => sp.GetRequiredService<PostgresStore>());
            AddPorts<PostgresStore>(services);
            return;
        }
        services.AddSingleton(_ =>
        {
            // The sandbox's simulated GitHub and Fly start fresh every run, so its store does too.
            if (sandbox)
                return SqliteStore.InMemory();
            return SqliteStore.AtPath(configuration["ChatOps:StorePath"] ?? Path.Combine("data", "chatops.db"));
        });
        AddPorts<SqliteStore>(services);

        static void AddPorts<TStore>(IServiceCollection services)
            where TStore : class, IReleaseStore, IApprovalStore, IEnvironmentStore, IUpdateLog, IReleaseLeases, IStoreProbe
        {
            services.AddSingleton<IReleaseStore>(sp => new MeteredReleaseStore(sp.GetRequiredService<TStore>()));
            services.AddSingleton<IApprovalStore>(sp => sp.GetRequiredService<TStore>());
            services.AddSingleton<IEnvironmentStore>(sp => sp.GetRequiredService<TStore>());
            services.AddSingleton<IUpdateLog>(sp => sp.GetRequiredService<TStore>());
            services.AddSingleton<IReleaseLeases>(sp => sp.GetRequiredService<TStore>());
            services.AddSingleton<IStoreProbe>(sp => sp.GetRequiredService<TStore>());
        }
    }
}
