using ChatOps.Core.Settings;
using ChatOps.Sandbox;

namespace ChatOps.Host.Sandbox;

/// <summary>
/// Starts the loopback simulators and points the configuration at them, so the real GitHub and Fly
/// clients and the real probes run against them: the newcomer's first run and the tests' ground.
/// </summary>
public static class SandboxBootstrap
{
    public static async Task<SandboxServer> StartAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var settings = configuration.GetSection("ChatOps").Get<ChatOpsSettings>() ?? new ChatOpsSettings();
        var environment = settings.Environments.GetValueOrDefault(settings.DefaultEnvironment) ?? new EnvironmentSettings();
        var options = new SandboxOptions();
        // Every environment's apps (the default environment's first, so a service name finds its app): staging and
        // production are separate Fly apps; each environment's migrations app has a volume to snapshot.
        var environments = settings.Environments.OrderBy(e => e.Key == settings.DefaultEnvironment ? 0 : 1).Select(e => e.Value).ToList();
        var apps = environments.SelectMany(e => e.Services).DistinctBy(s => s.FlyApp).Select(s => new SandboxApp(s.Name, s.FlyApp, 2)).ToList();
        if (apps.Count > 0)
            options.Apps = apps;
        if (environment.Migrations.App.Length > 0)
            options.MigrationsApp = environment.Migrations.App;
        options.VolumeApps = [.. environments.Select(SnapshotApp).Where(a => a.Length > 0)];
        if (configuration.GetSection("GitHub:RequiredChecks").Get<string[]>() is { Length: > 0 } checks)
            options.RequiredChecks = checks;
        if (configuration["GitHub:Repository"] is { Length: > 0 } repository)
            options.Repository = repository;
        if (configuration["Sandbox:DelayMilliseconds"] is { } delay)
            options.Delay = TimeSpan.FromMilliseconds(int.Parse(delay, System.Globalization.CultureInfo.InvariantCulture));
        if (configuration["Sandbox:Latency"] is { Length: > 0 } profile)
            options.Latency = SandboxLatency.Named(profile, options.Delay);
        SandboxTrafficSettings.Apply(configuration, settings, options.Traffic);
        var sandbox = await SandboxServer.StartAsync(options, cancellationToken);
        // So an operator can try a bad release in the console: its machines never turn healthy.
        foreach (var tag in configuration.GetSection("Sandbox:UnhealthyTags").Get<string[]>() ?? [])
            sandbox.Faults.UnhealthyTags.Add(tag);
        if (environment.DatabaseUrl.Length > 0)
        {
            var project = configuration["Sandbox:AlembicProject"] is { Length: > 0 } dir ? dir : RealAlembic.DefaultProject;
            sandbox.Fly.ExecHandler = new RealAlembic(project, TargetDatabase.TargetConnection.Parse(environment.DatabaseUrl).ToUrl(), RealAlembic.DefaultPython,
                sandbox.Fly.Registry.TagOf).RunAsync;
        }
        return sandbox;
    }

    /// <summary>The configuration keys that aim every environment at the simulators.</summary>
    public static Dictionary<string, string?> Overlay(IConfiguration configuration, SandboxServer sandbox)
    {
        var overlay = new Dictionary<string, string?>
        {
            ["GitHub:ApiBaseUrl"] = sandbox.GitHubApiUrl.ToString().TrimEnd('/'),
            ["GitHub:Token"] = sandbox.Options.GitHubToken,
            // The simulators hand out their own token; a GitHub App configured for the real GitHub is not theirs.
            ["GitHub:AppId"] = "",
            ["GitHub:AppPrivateKey"] = "",
            ["GitHub:Repository"] = sandbox.Options.Repository,
            ["GitHub:Branch"] = sandbox.Options.Branch,
            ["Fly:ApiBaseUrl"] = sandbox.FlyApiUrl.ToString().TrimEnd('/'),
            ["Fly:ApiToken"] = sandbox.Options.FlyToken,
            ["Fly:RegistryUrl"] = sandbox.FlyRegistryUrl.ToString().TrimEnd('/'),
            // Read with the Fly token, as Fly's own Prometheus is.
            ["Prometheus:Url"] = sandbox.PrometheusUrl.ToString().TrimEnd('/'),
            ["Prometheus:Token"] = "",
        };
        var settings = configuration.GetSection("ChatOps").Get<ChatOpsSettings>() ?? new ChatOpsSettings();
        foreach (var (name, env) in settings.Environments)
        {
            var key = $"ChatOps:Environments:{name}";
            overlay[$"{key}:ApiKey"] = sandbox.Options.ApiKey;
            var bases = new Dictionary<string, string>();
            for (var i = 0; i < env.Services.Count; i++)
            {
                var service = env.Services[i];
                // A sandbox started for other settings (shared by two test hosts) may lack this app: the service's name finds its twin.
                var url = (sandbox.Options.Apps.Any(a => a.FlyApp == service.FlyApp) ? sandbox.ServiceUrlOfApp(service.FlyApp) : sandbox.ServiceUrl(service.Name))
                    .ToString().TrimEnd('/');
                bases[BaseOf(service.HealthUrl)] = url;
                overlay[$"{key}:Services:{i}:HealthUrl"] = $"{url}/health";
                overlay[$"{key}:Services:{i}:VersionUrl"] = $"{url}/version";
            }
            for (var i = 0; i < env.SmokeTests.Count; i++)
            {
                var smoke = env.SmokeTests[i].Url;
                var match = bases.Keys.FirstOrDefault(b => b.Length > 0 && smoke.StartsWith(b, StringComparison.OrdinalIgnoreCase));
                if (match is not null)
                    overlay[$"{key}:SmokeTests:{i}:Url"] = bases[match] + smoke[match.Length..];
                else if (bases.Count > 0)
                {
                    // A probe of a host no service names is never sent out: its path goes to the first simulated service
                    // (by string, so that a {placeholder} stays as it is).
                    var scheme = smoke.IndexOf("://", StringComparison.Ordinal);
                    var path = scheme < 0 ? -1 : smoke.IndexOf('/', scheme + 3);
                    overlay[$"{key}:SmokeTests:{i}:Url"] = bases.Values.First() + (path < 0 ? "/" : smoke[path..]);
                }
            }
            if (env.DatabaseUrl.Length == 0)
            {
                // No database to dump in the sandbox: the simulated Fly volume is snapshotted instead.
                overlay[$"{key}:Backup:Mode"] = "fly-snapshot";
                if (env.Backup.App.Length == 0 && env.Migrations.App.Length == 0)
                    overlay[$"{key}:Backup:App"] = SnapshotApp(env);
            }
        }
        return overlay;
    }

    // The app whose simulated volume a sandbox backup snapshots: the backup's, the migrations', else the first service's.
    private static string SnapshotApp(EnvironmentSettings env) =>
        env.Backup.App.Length > 0 ? env.Backup.App
        : env.Migrations.App.Length > 0 ? env.Migrations.App
        : env.Services.FirstOrDefault()?.FlyApp ?? "";

    private static string BaseOf(string healthUrl) =>
        Uri.TryCreate(healthUrl, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : "";
}
