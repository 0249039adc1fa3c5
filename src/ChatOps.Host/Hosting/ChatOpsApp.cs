using ChatOps.Host.Sandbox;
using ChatOps.Host.Slack;
using ChatOps.Host.Telegram;
using ChatOps.Sandbox;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;

namespace ChatOps.Host.Hosting;

/// <summary>Everything a test or Program.cs needs to start the bot: configuration, mode, services, endpoints.</summary>
public sealed class ChatOpsApp : IAsyncDisposable
{
    private readonly bool _ownsSandbox;

    private ChatOpsApp(WebApplication web, SandboxServer? sandbox, bool ownsSandbox)
    {
        Web = web;
        Sandbox = sandbox;
        _ownsSandbox = ownsSandbox;
    }

    public WebApplication Web { get; }

    public SandboxServer? Sandbox { get; }

    public IServiceProvider Services => Web.Services;

    /// <param name="args">Command line: <c>--config FILE</c> adds a JSON file on top of appsettings.json.</param>
    /// <param name="overrides">Highest-precedence settings (tests).</param>
    /// <param name="configureServices">Last word on the services (tests swap the console's input and output).</param>
    /// <param name="sharedSandbox">A sandbox already running, shared by several hosts (tests of two instances).</param>
    public static async Task<ChatOpsApp> CreateAsync(
        string[] args,
        IDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? configureServices = null,
        SandboxServer? sharedSandbox = null,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        ConfigureSources(builder.Configuration, args, overrides);

        SandboxServer? sandbox = null;
        if (ChatOpsMode.IsSandbox(builder.Configuration))
        {
            sandbox = sharedSandbox ?? await SandboxBootstrap.StartAsync(builder.Configuration, cancellationToken);
            builder.Configuration.AddInMemoryCollection(SandboxBootstrap.Overlay(builder.Configuration, sandbox));
            if (overrides is not null)
                builder.Configuration.AddInMemoryCollection(overrides);
            builder.Configuration["ChatOps:ResolvedMode"] = "sandbox";
        }
        else
            builder.Configuration["ChatOps:ResolvedMode"] = "live";

        builder.Services.AddSerilog((services, logger) => ConfigureLogging(logger.ReadFrom.Services(services), builder.Configuration));
        builder.Services.AddChatOps(builder.Configuration, sandbox);
        configureServices?.Invoke(builder.Services);

        var app = new ChatOpsApp(builder.Build(), sandbox, ownsSandbox: sharedSandbox is null);
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
        app.Web.UseSerilogRequestLogging();
        app.Web.MapHealth();
        app.Web.MapTelegram();
        app.Web.MapSlack();
        return app;
    }

    private static void ConfigureSources(ConfigurationManager configuration, string[] args, IDictionary<string, string?>? overrides)
    {
        // One order for every start: appsettings.json beside the binary, --config, environment, secrets by their usual names.
        configuration.Sources.Clear();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false);
        var configFile = ConfigFileArgument(args);
        if (configFile is not null)
            configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        configuration.AddEnvironmentVariables();
        var secrets = ChatOpsMode.SecretNames
            .Select(pair => (pair.Value, Environment.GetEnvironmentVariable(pair.Key)))
            .Where(pair => !string.IsNullOrEmpty(pair.Item2))
            .ToDictionary(pair => pair.Item1, pair => pair.Item2);
        configuration.AddInMemoryCollection(secrets);
        if (overrides is not null)
            configuration.AddInMemoryCollection(overrides);
    }

    private static string? ConfigFileArgument(string[] args)
    {
        var index = Array.IndexOf(args, "--config");
        if (index < 0)
            return null;
        if (index + 1 >= args.Length)
            throw new ArgumentException("--config needs a file: --config my-settings.json");
        return args[index + 1];
    }

    private static void ConfigureLogging(LoggerConfiguration logger, IConfiguration configuration)
    {
        var level = Enum.TryParse<LogEventLevel>(configuration["Logging:Level"], ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
        logger.MinimumLevel.Is(level)
            // These log request URLs, and the Telegram API puts the bot token in the path.
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Polly", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            // stdout belongs to the console chat; logs go to stderr.
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}");
    }

    public async ValueTask DisposeAsync()
    {
        await Web.DisposeAsync();
        if (Sandbox is not null && _ownsSandbox)
            await Sandbox.DisposeAsync();
    }
}
