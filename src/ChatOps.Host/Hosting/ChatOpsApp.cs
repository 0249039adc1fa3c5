using ChatOps.Host.Incidents;
using ChatOps.Host.Sandbox;
using ChatOps.Host.Slack;
using ChatOps.Host.Telegram;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using Serilog;

namespace ChatOps.Host.Hosting;

/// <summary>Everything a test or Program.cs needs to start the bot: configuration, mode, services, endpoints.</summary>
public sealed class ChatOpsApp : IAsyncDisposable
{
    private ChatOpsApp(WebApplication web, ISimulators? simulators)
    {
        Web = web;
        Simulators = simulators;
    }

    public WebApplication Web { get; }

    /// <summary>The simulators of sandbox mode; null in live mode.</summary>
    public ISimulators? Simulators { get; }

    public IServiceProvider Services => Web.Services;

    /// <param name="args">Command line: <c>--config FILE</c> adds a JSON file on top of appsettings.json.</param>
    /// <param name="overrides">Highest-precedence settings (tests).</param>
    /// <param name="configureServices">Last word on the services (tests swap the console's input and output).</param>
    /// <param name="sharedSimulators">Simulators already running, shared by several hosts (tests of two instances).</param>
    public static async Task<ChatOpsApp> CreateAsync(
        string[] args,
        IDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? configureServices = null,
        ISimulators? sharedSimulators = null,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        ConfigureSources(builder.Configuration, args, overrides, builder.Environment.EnvironmentName);

        ISimulators? simulators = null;
        var banner = StartupBanner.None;
        if (ChatOpsMode.IsSandbox(builder.Configuration))
        {
            // The example world at the bottom, the sandbox's own databases at the top: then the simulators are built
            // from, and the bot aimed at, what the sandbox may touch, whatever the other layers say.
            builder.Configuration.Sources.Insert(0, SandboxExample.Beneath(builder.Configuration));
            var databases = SandboxTargets.Databases(builder.Configuration);
            builder.Configuration.AddInMemoryCollection(databases);
            simulators = sharedSimulators ?? await SandboxSimulators.StartAsync(builder.Configuration, cancellationToken);
            builder.Configuration.AddInMemoryCollection(simulators.Aim(builder.Configuration));
            if (overrides is not null)
                builder.Configuration.AddInMemoryCollection(overrides);
            builder.Configuration.AddInMemoryCollection(databases);
            builder.Configuration["ChatOps:ResolvedMode"] = "sandbox";
            // Nothing scrapes a sandbox: a second port would only collide with another console (or a test's bot) on it.
            builder.Configuration["Metrics:Port"] ??= "0";
            banner = new StartupBanner(SandboxTargets.Describe(builder.Configuration));
        }
        else
            builder.Configuration["ChatOps:ResolvedMode"] = "live";
        builder.Services.AddSingleton(banner);
        ChatOps.Host.Metrics.MetricsPort.Listen(builder.Configuration);

        builder.Services.AddSerilog((services, logger) => ChatOpsLogging.Configure(logger.ReadFrom.Services(services), builder.Configuration, services.GetService<LogSecrets>()));
        builder.Services.AddChatOps(builder.Configuration, sandbox: simulators is not null);
        configureServices?.Invoke(builder.Services);

        var app = new ChatOpsApp(builder.Build(), simulators);
        try
        {
            // Every section's mistakes at once, each a line naming its key, before anything resolves a setting: left to
            // the host, the first service built with a bad setting would stop it, with a stack trace and that one mistake.
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        app.Web.UseSerilogRequestLogging(options => options.GetLevel = ChatOpsLogging.RequestLevel);
        app.Web.MapHealth();
        app.Web.MapTelegram();
        app.Web.MapSlack();
        app.Web.MapIncidents();
        return app;
    }

    /// <summary>The bot's configuration, read from the same sources in the same order, without starting anything.</summary>
    public static IConfiguration ReadConfiguration(string[] args)
    {
        var configuration = new ConfigurationManager();
        var environmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Production;
        ConfigureSources(configuration, args, overrides: null, environmentName);
        // The simulators verb serves a live bot's settings as they are; only where they name no environment does it
        // simulate the example world.
        configuration.Sources.Insert(0, SandboxExample.Beneath(configuration));
        return configuration;
    }

    private static void ConfigureSources(ConfigurationManager configuration, string[] args, IDictionary<string, string?>? overrides, string environmentName)
    {
        // The standard order, with the top-level appsettings.json beside the binary at the bottom: then
        // appsettings.{Environment}.json, --config, user secrets (Development), the environment (ASPNETCORE_URLS and
        // ASPNETCORE_HTTP_PORTS included), secrets by their usual names, the command line (--Key=value), tests' overrides.
        configuration.Sources.Clear();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false, reloadOnChange: false);
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, $"appsettings.{environmentName}.json"), optional: true, reloadOnChange: false);
        var configFile = ConfigFileArgument(args);
        if (configFile is not null)
            configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        if (environmentName == Environments.Development)
            configuration.AddUserSecrets(typeof(ChatOpsApp).Assembly, optional: true, reloadOnChange: false);
        configuration.AddEnvironmentVariables("ASPNETCORE_");
        configuration.AddEnvironmentVariables("DOTNET_");
        configuration.AddEnvironmentVariables();
        var secrets = ChatOpsMode.SecretNames
            .Select(pair => (pair.Value, Environment.GetEnvironmentVariable(pair.Key)))
            .Where(pair => !string.IsNullOrEmpty(pair.Item2))
            .ToDictionary(pair => pair.Item1, pair => pair.Item2);
        configuration.AddInMemoryCollection(secrets);
        configuration.AddCommandLine(args);
        if (overrides is not null)
            configuration.AddInMemoryCollection(overrides);
        // Where nothing says where to listen (Urls, ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS), the bot listens on the
        // loopback only; the image sets ASPNETCORE_HTTP_PORTS, so a platform's port always wins over this default.
        if (string.IsNullOrEmpty(configuration["urls"]) && string.IsNullOrEmpty(configuration["http_ports"]) && string.IsNullOrEmpty(configuration["https_ports"]))
            configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = [KeyValuePair.Create("Urls", (string?)DefaultUrls)] });
    }

    public const string DefaultUrls = "http://127.0.0.1:8080";

    private static string? ConfigFileArgument(string[] args)
    {
        var index = Array.IndexOf(args, "--config");
        if (index < 0)
            return null;
        if (index + 1 >= args.Length)
            throw new ArgumentException("--config needs a file: --config my-settings.json");
        return args[index + 1];
    }

    public async ValueTask DisposeAsync()
    {
        await Web.DisposeAsync();
        if (Simulators is not null)
            await Simulators.DisposeAsync();
    }
}
