using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

// The simulated Fly apps. Each app has its own lock; machine transitions (replacing → started → checks passing)
// and snapshot creation are applied lazily from timestamps whenever state is read.
public sealed partial class FlyCloud
{
    internal const string LeaseOwner = "chatops@example.com";

    private readonly SandboxOptions _options;
    private readonly MutationLog _mutations;
    private readonly Dictionary<string, FlyAppState> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedAlembic> _otherAlembics = new(StringComparer.Ordinal);
    private readonly SandboxFaults _faults;

    internal FlyCloud(SandboxOptions options, SandboxFaults faults, MutationLog mutations)
    {
        _options = options;
        _faults = faults;
        _mutations = mutations;
        Alembic = new SimulatedAlembic(faults);
        ExecHandler = DefaultExecAsync;
        foreach (var app in options.Apps)
        {
            _apps[app.FlyApp] = FlySeed.CreateApp(app, options);
        }
    }

    public SimulatedAlembic Alembic { get; }

    public SimulatedRegistry Registry { get; } = new();

    public Func<FlyExecRequest, CancellationToken, Task<FlyExecResult>> ExecHandler { get; set; }

    internal TimeSpan Delay => _options.Delay;

    internal SandboxLatency Latency => _options.Latencies;

    public IReadOnlyList<SimMachine> Machines(string app)
    {
        var state = App(app);
        lock (state.Gate)
        {
            var now = DateTimeOffset.UtcNow;
            return [.. state.Machines.Select(m => Snapshot(Advance(m, now)))];
        }
    }

    public string ImageOf(string app, string machineId)
    {
        var state = App(app);
        lock (state.Gate)
        {
            return (state.Machines.FirstOrDefault(m => m.Id == machineId) ?? throw new ArgumentException($"unknown machine {machineId}")).Image;
        }
    }

    public int SnapshotCount(string app)
    {
        var state = App(app);
        lock (state.Gate)
        {
            var now = DateTimeOffset.UtcNow;
            return state.Volumes.Sum(v => v.Snapshots.Count(s => s.VisibleAt <= now));
        }
    }

    // The image a service answers from. Requests land on any machine, so when machines disagree mid-rollout the
    // simulator picks one stable representative (lowest id) rather than flapping between versions.
    internal string? ServiceImage(string app)
    {
        if (!_apps.TryGetValue(app, out var state))
        {
            return null;
        }

        lock (state.Gate)
        {
            return state.Machines.OrderBy(m => m.Id, StringComparer.Ordinal).FirstOrDefault()?.Image;
        }
    }

    internal FlyAppState? FindApp(string app) => _apps.GetValueOrDefault(app);

    private FlyAppState App(string app) => _apps.GetValueOrDefault(app) ?? throw new ArgumentException($"unknown Fly app {app}", nameof(app));

    internal static FlyMachine Advance(FlyMachine m, DateTimeOffset now)
    {
        if (m.State == "replacing" && m.StartsAt is { } startsAt && now >= startsAt)
        {
            m.State = "started";
            m.StartsAt = null;
            m.UpdatedAt = startsAt;
            m.Events.Insert(0, new MachineEvent("start", "started", "flyd", startsAt));
        }

        if (m.State == "started" && m.ChecksPassAt is { } passAt && now >= passAt)
        {
            m.Checks = ConfiguredChecks(m.Config, passAt);
            m.ChecksPassAt = null;
        }

        return m;
    }

    // Service checks are named servicecheck-NN-<type>-<port>; top-level checks keep their config key.
    internal static List<SimCheck> ConfiguredChecks(JsonObject config, DateTimeOffset at)
    {
        var checks = new List<SimCheck>();
        var n = 0;
        foreach (var service in (config["services"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var check in (service["checks"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var type = check.GetString("type") ?? "tcp";
                var port = check.GetInt("port") ?? service.GetInt("internal_port") ?? 0;
                checks.Add(new SimCheck($"servicecheck-{n++:00}-{type}-{port}", "passing", Output(type, port, check.GetString("path")), at));
            }
        }

        foreach (var (name, node) in config["checks"] as JsonObject ?? [])
        {
            var check = node as JsonObject ?? [];
            var type = check.GetString("type") ?? "tcp";
            checks.Add(new SimCheck(name, "passing", Output(type, check.GetInt("port") ?? 0, check.GetString("path")), at));
        }

        return checks;
    }

    private static string Output(string type, int port, string? path) =>
        type == "http" ? $"HTTP GET http://172.19.0.2:{port}{path ?? "/"}: 200 OK Output: \"{{\"status\":\"ok\"}}\"" : "Success";

    private static SimMachine Snapshot(FlyMachine m) =>
        new(m.Id, m.Name, m.State, m.Image, m.InstanceId, [.. m.Checks], m.Lease is { } l && l.ExpiresAt > DateTimeOffset.UtcNow,
            (JsonObject)m.Config.DeepClone());

    private async Task<FlyExecResult> DefaultExecAsync(FlyExecRequest request, CancellationToken cancellationToken)
    {
        if (_options.VolumeApps.Contains(request.App) && request.App != _options.MigrationsApp)
        {
            // Another environment's migrations app (staging): its own database, so its own Alembic history.
            SimulatedAlembic other;
            lock (_otherAlembics)
            {
                if (!_otherAlembics.TryGetValue(request.App, out other!))
                    _otherAlembics[request.App] = other = new SimulatedAlembic(_faults);
            }
            return await other.ExecAsync(request, cancellationToken);
        }

        if (request.App != _options.MigrationsApp && SimulatedAlembic.CommandText(request.Command).Contains("alembic", StringComparison.Ordinal))
        {
            // Only the migrations app's image ships the Alembic project.
            return new FlyExecResult(127, "", "sh: 1: alembic: not found\n");
        }

        return await Alembic.ExecAsync(request, cancellationToken);
    }
}
