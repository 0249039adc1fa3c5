using System.Collections.Concurrent;
using ChatOps.Host.Fly;
using ChatOps.Host.GitHub;
using ChatOps.Host.Probes;
using ChatOps.Sandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOps.IntegrationTests.Clients;

// A fresh sandbox per test, and the clients built the way the host builds them: configuration → AddGitHub /
// AddFly / AddServiceProbes → resolved interfaces, so the resilience pipeline is part of every test.
public abstract class ClientFixture : IAsyncLifetime
{
    private ServiceProvider? _provider;

    protected SandboxServer Sandbox { get; private set; } = null!;
    protected IServiceProvider Services => _provider!;
    protected LogCapture Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        _provider = BuildServices(ConfigFor(Sandbox));
    }

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        await Sandbox.DisposeAsync();
    }

    // `configure` lets a test add its own handler inside the retry loop, where it sees every attempt.
    protected ServiceProvider BuildServices(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddGitHub(configuration);
        services.AddFly(configuration);
        services.AddServiceProbes();
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    protected static Dictionary<string, string?> ConfigFor(SandboxServer sandbox) => new()
    {
        ["GitHub:ApiBaseUrl"] = sandbox.GitHubApiUrl.ToString(),
        ["GitHub:Token"] = sandbox.Options.GitHubToken,
        ["GitHub:Repository"] = sandbox.Options.Repository,
        ["GitHub:Branch"] = sandbox.Options.Branch,
        ["Fly:ApiBaseUrl"] = sandbox.FlyApiUrl.ToString(),
        ["Fly:ApiToken"] = sandbox.Options.FlyToken,
        ["Fly:RegistryUrl"] = sandbox.FlyRegistryUrl.ToString(),
        ["Fly:PollInterval"] = "00:00:00.050",
        // Small delays keep retry tests fast; a Retry-After from the server is still honoured.
        ["OutsideCalls:RetryBaseDelay"] = "00:00:00.050",
        ["OutsideCalls:AttemptTimeout"] = "00:00:10",
    };

    protected T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();
}

// Every log line, formatted, so tests can check what a retry logged and that no secret was written.
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(_lines);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}

// Sits inside the retry loop of one named client: counts the attempts that match, and can act before sending.
public sealed class AttemptSpy(Func<HttpRequestMessage, bool> matches, Action<int>? before = null)
{
    private readonly Func<HttpRequestMessage, bool> _matches = matches;
    private readonly Action<int>? _before = before;
    private int _count;

    public int Count => _count;

    public DelegatingHandler CreateHandler() => new Handler(this);

    private sealed class Handler(AttemptSpy spy) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (spy._matches(request))
            {
                var attempt = Interlocked.Increment(ref spy._count);
                spy._before?.Invoke(attempt);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
