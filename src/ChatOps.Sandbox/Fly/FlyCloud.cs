using System.Globalization;
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
        Alembic = new SimulatedAlembic(faults, Registry.TagOf, options.InitialTag);
        ExecHandler = DefaultExecAsync;
        foreach (var app in options.Apps)
        {
            _apps[app.FlyApp] = FlySeed.CreateApp(app, options);
        }

        foreach (var tag in options.PushedTags.Append(options.InitialTag).Distinct(StringComparer.Ordinal))
        {
            PushImages(tag);
        }
    }

    public SimulatedAlembic Alembic { get; }

    public SimulatedRegistry Registry { get; } = new();

    public Func<FlyExecRequest, CancellationToken, Task<FlyExecResult>> ExecHandler { get; set; }

    internal TimeSpan Delay => _options.Delay;

    internal SandboxLatency Latency => _options.Latencies;

    // Pushes `registry.fly.io/<app>:<tag>` for every app, as a release's CI does.
    public void PushImages(string tag)
    {
        foreach (var app in _apps.Keys)
        {
            Registry.Push($"{SimulatedRegistry.Host}/{app}:{tag}");
        }
    }

    // The machines that exist: a destroyed machine is gone from the list, as Fly's list hides it.
    public IReadOnlyList<SimMachine> Machines(string app) => Select(app, m => !m.Destroyed);

    public IReadOnlyList<SimMachine> MachinesWithMetadata(string app, string key, string value) =>
        Select(app, m => !m.Destroyed && m.Metadata.TryGetValue(key, out var v) && v == value);

    // What `include_deleted=true` shows beyond Machines.
    public IReadOnlyList<SimMachine> DestroyedMachines(string app) => Select(app, m => m.Destroyed);

    // What a machine's main process (`init.cmd`) printed and exited with; null while it runs or when it has none.
    public FlyExecResult? MainProcessResult(string app, string machineId)
    {
        var state = App(app);
        lock (state.Gate)
        {
            return state.Machines.FirstOrDefault(m => m.Id == machineId)?.Exited;
        }
    }

    private List<SimMachine> Select(string app, Func<FlyMachine, bool> include)
    {
        var state = App(app);
        lock (state.Gate)
        {
            var now = DateTimeOffset.UtcNow;
            return [.. state.Machines.Select(m => Advance(m, now)).Where(include).Select(Snapshot)];
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
    // simulator picks one stable representative (lowest id) rather than flapping between versions. Only machines
    // with services take traffic (a migrations machine has none); a machine being replaced is counted with its new
    // image, as before, since its restart is only a few milliseconds of simulated time.
    internal string? ServiceImage(string app)
    {
        if (!_apps.TryGetValue(app, out var state))
        {
            return null;
        }

        lock (state.Gate)
        {
            var now = DateTimeOffset.UtcNow;
            return state.Machines.Select(m => Advance(m, now))
                .Where(m => m.HasServices && m.State is "started" or "replacing")
                .OrderBy(m => m.Id, StringComparer.Ordinal).FirstOrDefault()?.Image;
        }
    }

    // The machines Fly's proxy sends requests to, with the image each runs: the simulated traffic follows them.
    internal IReadOnlyList<(string Id, string Region, string Image)> ServingMachines(string app)
    {
        if (!_apps.TryGetValue(app, out var state))
        {
            return [];
        }

        lock (state.Gate)
        {
            var now = DateTimeOffset.UtcNow;
            return [.. state.Machines.Select(m => Advance(m, now)).Where(m => m.HasServices && m.State == "started").Select(m => (m.Id, m.Region, m.Image))];
        }
    }

    internal FlyAppState? FindApp(string app) => _apps.GetValueOrDefault(app);

    private FlyAppState App(string app) => _apps.GetValueOrDefault(app) ?? throw new ArgumentException($"unknown Fly app {app}", nameof(app));

    internal static FlyMachine Advance(FlyMachine m, DateTimeOffset now) => MachineLifecycle.Advance(m, now);

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
            (JsonObject)m.Config.DeepClone(), m.Metadata);

    private async Task<FlyExecResult> DefaultExecAsync(FlyExecRequest request, CancellationToken cancellationToken)
    {
        if (_options.VolumeApps.Contains(request.App) && request.App != _options.MigrationsApp)
        {
            // Another environment's migrations app (staging): its own database, so its own Alembic history.
            SimulatedAlembic other;
            lock (_otherAlembics)
            {
                if (!_otherAlembics.TryGetValue(request.App, out other!))
                    _otherAlembics[request.App] = other = new SimulatedAlembic(_faults, Registry.TagOf, _options.InitialTag);
            }
            return await other.ExecAsync(request, cancellationToken);
        }

        if (request.App != _options.MigrationsApp)
        {
            // Only the migrations app's image ships the Alembic project.
            return ShellChain.Run(request.Command, "alembic", _ => new FlyExecResult(127, "", "sh: 1: alembic: not found\n"));
        }

        return await Alembic.ExecAsync(request, cancellationToken);
    }

    // init.cmd is the machine's main process: `sleep N` holds it started for N seconds, any other command runs to
    // its end. Without init.cmd the image's own command runs, which never ends here. Read on create and update,
    // since an update replaces the whole config.
    internal void ArmMainProcess(FlyAppState state, FlyMachine machine)
    {
        var command = (machine.Config["init"] as JsonObject)?["cmd"] is JsonArray { Count: > 0 } cmd
            ? cmd.Select(a => a?.ToString() ?? "").ToList()
            : null;
        machine.Sleep = null;
        machine.ExitsAt = null;
        machine.MainCommand = null;
        machine.Launch = null;
        if (command is ["sleep", var seconds, ..])
        {
            machine.Sleep = TimeSpan.FromSeconds(double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 0);
        }
        else if (command is { Count: > 0 })
        {
            machine.MainCommand = command;
            machine.Launch = m => LaunchMainProcess(state, m);
        }
    }

    // Runs a machine's `init.cmd` through the exec handler, as the image it was created from, then stops the machine
    // with the command's exit code. Called once, under the app's lock, when the machine starts.
    private void LaunchMainProcess(FlyAppState state, FlyMachine machine)
    {
        var request = new FlyExecRequest(state.Name, machine.Id, machine.MainCommand ?? [], null, machine.Image);
        var version = machine.InstanceId;
        foreach (var step in SimulatedAlembic.MutatingSteps(request.Command))
        {
            // Counted like an exec's: what tests count is how often migrations ran, whichever way they were started.
            _mutations.Record("fly.exec:" + step);
        }

        _ = Task.Run(async () =>
        {
            FlyExecResult result;
            try
            {
                result = await ExecHandler(request, CancellationToken.None);
            }
            catch (Exception e)
            {
                // A crash of the handler is the process dying: exit 1, the trace as its output.
                result = new FlyExecResult(1, "", e.ToString());
            }

            lock (state.Gate)
            {
                machine.Exited = result;
                if (machine.State == "started" && machine.InstanceId == version)
                {
                    MachineLifecycle.Exit(machine, result.ExitCode, DateTimeOffset.UtcNow);
                }
            }
        });
    }
}
