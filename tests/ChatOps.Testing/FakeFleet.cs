using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ChatOps.Core.Ports;
using ChatOps.Core.Settings;

namespace ChatOps.Testing;

/// <summary>
/// Fly Machines and the services' own endpoints with no latency: two machines per app, updated at once and
/// always healthy; <c>/version</c> answers the tag of the image the app's machines run; Alembic has three
/// migrations pending on every release, so the approval gate is always exercised. Its registry gives every
/// image a digest, changed by <see cref="Repush"/>.
/// </summary>
public sealed class FakeFleet : IDeployTarget, IServiceProbes, IImageRegistry
{
    private const string History = """
        c3d4e5 -> f6e5d4 (head), webhook_events retention
        b2c3d4 -> c3d4e5, index artifacts by run
        a1b2c3 -> b2c3d4, add runs.priority
        <base> -> a1b2c3, initial schema
        """;

    private static readonly IReadOnlyDictionary<string, string> NoCapture = new Dictionary<string, string>();
    private readonly ConcurrentDictionary<string, string> _images = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _pushes = new(StringComparer.Ordinal);

    public Task<ImageLookup> LookUpAsync(string image, CancellationToken cancellationToken) =>
        Task.FromResult(image.Contains('@', StringComparison.Ordinal) ? ImageLookup.NotLookedUp
            : MissingImages.ContainsKey(image) ? ImageLookup.Missing
            : new ImageLookup(ImageState.Present, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{image}#{_pushes.GetValueOrDefault(image)}")))));

    /// <summary>Images the registry has never seen.</summary>
    public ConcurrentDictionary<string, byte> MissingImages { get; } = new(StringComparer.Ordinal);

    /// <summary>The migration machines that exist now, by release.</summary>
    public ConcurrentDictionary<long, MigrationMachine> MigrationMachines { get; } = new();

    /// <summary>How many migration machines were ever created.</summary>
    public int MigrationMachinesCreated => _created;

    private int _created;

    public Task<MigrationMachine> StartMigrationMachineAsync(string app, long releaseId, string image, bool waitStarted, CancellationToken cancellationToken) =>
        Task.FromResult(MigrationMachines.AddOrUpdate(releaseId,
            _ => Created(app, releaseId, image),
            (_, existing) => existing.Image == image ? existing : Created(app, releaseId, image)));

    private MigrationMachine Created(string app, long releaseId, string image)
    {
        Interlocked.Increment(ref _created);
        // Created long before any test's clock: the sweep judges it by its release alone.
        return new MigrationMachine(app, $"{app}-migrations-{releaseId}", releaseId, image, "started", DateTimeOffset.UnixEpoch);
    }

    public Task DestroyMigrationMachinesAsync(string app, long releaseId, CancellationToken cancellationToken)
    {
        MigrationMachines.TryRemove(releaseId, out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<MigrationMachine>> ListMigrationMachinesAsync(string app, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MigrationMachine>>([.. MigrationMachines.Values.Where(m => m.App == app)]);

    /// <summary>Pushes <paramref name="image"/> again under the same tag: the registry holds a new digest for it.</summary>
    public void Repush(string image) => _pushes.AddOrUpdate(image, 1, (_, n) => n + 1);

    public Task<IReadOnlyList<MachineStatus>> ListMachinesAsync(string app, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MachineStatus>>([Machine(app, $"{app}-m1"), Machine(app, $"{app}-m2")]);

    /// <summary>Called as each machine update begins: a test can act in the middle of a deploy.</summary>
    public Func<string, string, Task>? BeforeUpdate { get; set; }

    /// <summary>Tags whose machines are updated but never turn healthy: the update waits until it is cancelled.</summary>
    public ConcurrentDictionary<string, byte> HangingTags { get; } = new(StringComparer.Ordinal);

    /// <summary>How many machines of a hanging tag wait to turn healthy now.</summary>
    public int Hanging => Volatile.Read(ref _hanging);

    private int _hanging;

    public async Task<MachineStatus> DeployAsync(string app, string machineId, string image, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (BeforeUpdate is { } before)
            await before(machineId, image);
        var name = image.Split('@')[0];
        if (HangingTags.ContainsKey(name[(name.LastIndexOf(':') + 1)..]))
        {
            _images[machineId] = image;
            Interlocked.Increment(ref _hanging);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _hanging);
            }
        }
        _images[machineId] = image;
        Updates.Enqueue((machineId, image));
        return new MachineStatus(machineId, "started", image, Healthy: true);
    }

    /// <summary>Called before each exec (alembic current, upgrade…): a test can act in the middle of a migration.</summary>
    public Func<string, Task>? BeforeExec { get; set; }

    public async Task<ExecResult> ExecAsync(MigrationMachine machine, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (BeforeExec is { } before)
            await before(string.Join(' ', command));
        return Exec(command, machine.Id);
    }

    // A shell chain answers each of its alembic reads in turn, with echo's text between them.
    // The database's revision as each migration machine reads it: the head once an upgrade ran there. Per machine, so
    // that every release of a test finds the same three revisions pending, as the tests were written for.
    private readonly ConcurrentDictionary<string, string> _current = new(StringComparer.Ordinal);

    private ExecResult Exec(IReadOnlyList<string> command, string machine)
    {
        if (command is ["sh", "-c", var script])
        {
            var output = string.Concat(script.Split("&&").Select(part => part.Trim()).Select(part =>
                part.StartsWith("echo ", StringComparison.Ordinal) ? part[5..] + "\n" : Exec(part.Split(' '), machine).Stdout));
            return new ExecResult(0, output, "");
        }
        return string.Join(' ', command) switch
        {
            "alembic current" => new ExecResult(0, _current.GetValueOrDefault(machine, "a1b2c3") + "\n", ""),
            "alembic heads" => new ExecResult(0, "f6e5d4 (head)\n", ""),
            "alembic history" => new ExecResult(0, History, ""),
            var text when text.EndsWith("--sql", StringComparison.Ordinal) => new ExecResult(0, Sql, ""),
            _ => Upgraded(machine),
        };
    }

    private ExecResult Upgraded(string machine)
    {
        _current[machine] = "f6e5d4";
        return new ExecResult(0, "", "INFO  [alembic.runtime.migration] Running upgrade c3d4e5 -> f6e5d4\n");
    }

    /// <summary>What `alembic upgrade … --sql` prints; by default one of the three revisions is destructive.</summary>
    public string Sql { get; set; } = DestructiveSql;

    private const string DestructiveSql = """
        BEGIN;

        -- Running upgrade a1b2c3 -> b2c3d4

        ALTER TABLE runs ADD COLUMN priority INTEGER DEFAULT '0' NOT NULL;

        UPDATE alembic_version SET version_num='b2c3d4' WHERE alembic_version.version_num = 'a1b2c3';

        -- Running upgrade b2c3d4 -> c3d4e5

        CREATE INDEX ix_artifacts_run_id ON artifacts (run_id);

        UPDATE alembic_version SET version_num='c3d4e5' WHERE alembic_version.version_num = 'b2c3d4';

        -- Running upgrade c3d4e5 -> f6e5d4

        DELETE FROM webhook_events WHERE received_at < now() - interval '30 days';

        UPDATE alembic_version SET version_num='f6e5d4' WHERE alembic_version.version_num = 'c3d4e5';

        COMMIT;
        """;

    public Task<string> SnapshotVolumeAsync(string app, DateTimeOffset reuseSince, CancellationToken cancellationToken) =>
        Task.FromResult($"vs_{app}");

    /// <summary>Tags whose image starts but never turns healthy.</summary>
    public ConcurrentDictionary<string, byte> BrokenTags { get; } = new(StringComparer.Ordinal);

    /// <summary>Every image update, in order: (machine, image).</summary>
    public ConcurrentQueue<(string Machine, string Image)> Updates { get; } = new();

    /// <summary>Called before each health probe: a test can act while Verify runs.</summary>
    public Func<Task>? BeforeHealth { get; set; }

    public async Task<ProbeResult> HealthAsync(string url, CancellationToken cancellationToken)
    {
        if (BeforeHealth is { } before)
            await before();
        return BrokenTags.ContainsKey(TagOn(new Uri(url).Host))
            ? new ProbeResult(false, "503", "503 Service Unavailable")
            : new ProbeResult(true, "ok", "ok");
    }

    // fake://<app>/version: the tag of the image on the app's first machine.
    public Task<ProbeResult> VersionAsync(string url, string apiKey, CancellationToken cancellationToken)
    {
        var tag = TagOn(new Uri(url).Host);
        return Task.FromResult(new ProbeResult(true, tag, tag));
    }

    private string TagOn(string app)
    {
        var image = _images.GetValueOrDefault($"{app}-m1") ?? $"registry.fly.io/{app}:v1.0.0";
        // A deploy pins the digest after the tag (…:v1.1.0@sha256:…): the version is the tag.
        var name = image.Split('@')[0];
        return name[(name.LastIndexOf(':') + 1)..];
    }

    public Task<SmokeResult> SmokeAsync(SmokeTestSettings test, string apiKey, IReadOnlyDictionary<string, string> captured, CancellationToken cancellationToken) =>
        Task.FromResult(new SmokeResult(true, $"{test.ExpectStatus}",
            test.Capture.Length == 0 ? NoCapture : new Dictionary<string, string> { [test.Capture] = "run_01HZX3" }));

    public Task<ProbeResult> ObserveAsync(ObservabilitySettings settings, DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult(new ProbeResult(true, "1", "metrics flowing"));

    private MachineStatus Machine(string app, string id) =>
        new(id, "started", _images.GetValueOrDefault(id) ?? $"registry.fly.io/{app}:v1.0.0", Healthy: true);
}
