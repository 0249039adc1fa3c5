namespace ChatOps.Sandbox;

// GitHub, Fly and the target services on one loopback Kestrel with a random port, under /github, /fly and
// /services/{service}.
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ProxyCounters _counters;

    private SandboxServer(WebApplication app, SandboxOptions options, Uri baseUrl, GitHubRepo gitHub, FlyCloud fly,
        SandboxFaults faults, MutationLog mutations, CallLog calls, GitHubAccess gitHubAccess, ProxyCounters counters)
    {
        _counters = counters;
        Calls = calls;
        GitHubAccess = gitHubAccess;
        _app = app;
        Options = options;
        BaseUrl = baseUrl;
        GitHub = gitHub;
        Fly = fly;
        Faults = faults;
        Mutations = mutations;
    }

    public SandboxOptions Options { get; }
    public Uri BaseUrl { get; }
    public Uri GitHubApiUrl => new(BaseUrl, "github");
    public Uri FlyApiUrl => new(BaseUrl, "fly");
    public Uri FlyRegistryUrl => new(BaseUrl, RegistryEndpoints.Prefix.TrimStart('/'));

    // Fly's managed Prometheus stands at https://api.fly.io/prometheus/<org-slug>; this one answers the bake's queries.
    public Uri PrometheusUrl => new(BaseUrl, MetricsEndpoints.PrometheusPrefix.TrimStart('/'));

    // Where a real Prometheus scrapes the simulated proxy's per-machine metrics (/metrics).
    public string ScrapeTarget => BaseUrl.Authority;

    public SandboxTraffic Traffic => Options.Traffic;
    public GitHubRepo GitHub { get; }

    // Who may call the simulated GitHub, with which permissions; the app's installation tokens.
    public GitHubAccess GitHubAccess { get; }
    public FlyCloud Fly { get; }
    public SandboxFaults Faults { get; }
    public MutationLog Mutations { get; }
    public CallLog Calls { get; }

    public Uri ServiceUrl(string service) =>
        Options.Apps.Any(a => a.Service == service)
            ? new Uri(BaseUrl, "services/" + service)
            : throw new ArgumentException($"no sandbox service named {service}", nameof(service));

    // A service by its Fly app: two environments may both have an "api", on different apps.
    public Uri ServiceUrlOfApp(string flyApp) =>
        Options.Apps.Any(a => a.FlyApp == flyApp)
            ? new Uri(BaseUrl, "services/" + flyApp)
            : throw new ArgumentException($"no sandbox app named {flyApp}", nameof(flyApp));

    public static async Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        var mutations = new MutationLog();
        var faults = new SandboxFaults();
        var gitHub = new GitHubRepo(options, mutations);
        var gitHubAccess = new GitHubAccess(options);
        var fly = new FlyCloud(options, faults, mutations);
        var calls = new CallLog();
        var latency = new LatencyGate(options);
        var counters = new ProxyCounters(options, fly);
        var (app, baseUrl) = await LoopbackHost.StartAsync(app =>
        {
            app.Use(calls.InvokeAsync);
            app.Use(latency.InvokeAsync);
            app.MapGitHub(gitHub, gitHubAccess, options, faults);
            app.MapFly(fly, options, faults, mutations);
            app.MapRegistry(fly, options);
            app.MapTargetServices(options, fly, faults);
            app.MapProxyMetrics(counters, options, faults);
        }, cancellationToken);
        gitHub.ApiUrl = new Uri(baseUrl, "github").ToString();
        return new SandboxServer(app, options, baseUrl, gitHub, fly, faults, mutations, calls, gitHubAccess, counters);
    }

    public async ValueTask DisposeAsync()
    {
        _counters.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
