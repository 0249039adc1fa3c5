using ChatOps.Core.Bake;
using ChatOps.Core.Ports;
using ChatOps.IntegrationTests.Clients;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Bake;

/// <summary>
/// Simulated services under a steady load, a real Prometheus scraping them every second, and one deploy of each app:
/// a healthy tag, a bad tag (a share of 5xx, three times slower), a quiet app and an app whose traffic stops at the
/// deploy. Built once for the class, since a window is real seconds of real scrapes; the tests then only ask.
/// </summary>
public sealed class BakeWorld : IAsyncLifetime
{
    public const string Healthy = "healthy-api";
    public const string Bad = "bad-api";
    public const string Quiet = "quiet-api";
    public const string Stopped = "stopped-api";
    public const string GoodTag = "v0.2.0";
    public const string BadTag = "v0.2.1";

    // Long enough for a dozen scrapes per window; the minimum is set so a quiet app cannot reach it.
    private static readonly TimeSpan WindowLength = TimeSpan.FromSeconds(12);

    private ServiceProvider? _clients;
    private PrometheusServer? _prometheus;

    public SandboxServer Sandbox { get; private set; } = null!;
    public PrometheusServer Prometheus => _prometheus!;
    public LogCapture Logs { get; } = new();
    public BakeWindow Window { get; private set; } = null!;
    public IMetricsQuery Metrics => _clients!.Metrics();

    public BakeSettings Settings { get; } = new() { Duration = TimeSpan.FromMinutes(10), MinRequests = 100 };

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions
        {
            Apps = [new("healthy", Healthy, 2), new("bad", Bad, 2), new("quiet", Quiet, 2), new("stopped", Stopped, 2)],
            MigrationsApp = Healthy,
            Traffic = { RequestsPerSecond = 20 },
        };
        options.Traffic.MakeBad(BadTag, errorShare: 0.2, slowdown: 3);
        options.Traffic.MakeQuiet(Quiet, 0.4);
        Sandbox = await SandboxServer.StartAsync(options);
        _prometheus = await PrometheusServer.StartAsync([Sandbox.ScrapeTarget]);
        _clients = MetricsClients.Build(_prometheus.Url, Sandbox, Logs);

        // The window before the deploy: real traffic, really scraped.
        await Task.Delay(WindowLength + TimeSpan.FromSeconds(3));
        var deployStarted = DateTimeOffset.UtcNow;
        var fly = _clients.GetRequiredService<IDeployTarget>();
        await Task.WhenAll(
            DeployAsync(fly, Healthy, GoodTag), DeployAsync(fly, Bad, BadTag), DeployAsync(fly, Quiet, GoodTag), DeployAsync(fly, Stopped, GoodTag));
        Sandbox.Traffic.MakeQuiet(Stopped, 0);
        var bakeStarted = DateTimeOffset.UtcNow;

        await Task.Delay(WindowLength + TimeSpan.FromSeconds(2));
        // Judged a scrape behind now, so the window's last samples are in.
        Window = new BakeWindow(deployStarted, bakeStarted, bakeStarted + WindowLength);
    }

    public async Task DisposeAsync()
    {
        if (_clients is not null)
            await _clients.DisposeAsync();
        if (_prometheus is not null)
            await _prometheus.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    public ServiceProvider ClientsFor(Uri prometheus) => MetricsClients.Build(prometheus, Sandbox, Logs);

    private async Task DeployAsync(IDeployTarget fly, string app, string tag)
    {
        foreach (var machine in await fly.ListMachinesAsync(app, CancellationToken.None))
            await fly.DeployAsync(app, machine.Id, $"registry.fly.io/{app}:{tag}", TimeSpan.FromSeconds(30), CancellationToken.None);
    }
}
