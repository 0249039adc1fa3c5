using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

// Image is the image the machine runs: a command sees that image's files (empty: not known, e.g. a test's request).
public sealed record FlyExecRequest(string App, string MachineId, IReadOnlyList<string> Command, int? TimeoutSeconds, string Image = "");

public sealed record FlyExecResult(int ExitCode, string Stdout, string Stderr);

public sealed record SimCheck(string Name, string Status, string Output, DateTimeOffset UpdatedAt);

// A point-in-time copy of a machine for test assertions; Config is a deep clone.
public sealed record SimMachine(
    string Id, string Name, string State, string Image, string InstanceId, IReadOnlyList<SimCheck> Checks, bool Leased,
    JsonObject Config, IReadOnlyDictionary<string, string> Metadata);

// ExitCode is set on `exit` events of a machine whose main process ended.
internal sealed record MachineEvent(string Type, string Status, string Source, DateTimeOffset At, int? ExitCode = null);

internal sealed record FlyLease(string Nonce, DateTimeOffset ExpiresAt, string Owner, string Description, string Version);

internal sealed record FlySnapshot(string Id, long Size, string Digest, DateTimeOffset CreatedAt, DateTimeOffset VisibleAt);

internal sealed class FlyMachine
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string PrivateIp { get; init; }
    public string Region { get; init; } = "ord";
    public required DateTimeOffset CreatedAt { get; init; }
    public required JsonObject Config { get; set; }
    public required string InstanceId { get; set; }
    public string State { get; set; } = "started";
    public DateTimeOffset UpdatedAt { get; set; }
    public List<SimCheck> Checks { get; set; } = [];
    public List<MachineEvent> Events { get; } = [];
    public FlyLease? Lease { get; set; }

    // Transitions are applied lazily when the machine is next read, so no background work outlives a request.
    public DateTimeOffset? StartsAt { get; set; }
    public DateTimeOffset? ChecksPassAt { get; set; }

    // The main process of a machine created with `init.cmd`: a command run to its end once the machine starts
    // (Launch starts it, once), or a `sleep` that ends at ExitsAt. Exited holds what the command printed.
    public IReadOnlyList<string>? MainCommand { get; set; }
    public Action<FlyMachine>? Launch { get; set; }
    public TimeSpan? Sleep { get; set; }
    public DateTimeOffset? ExitsAt { get; set; }
    public FlyExecResult? Exited { get; set; }

    public string Image => Config["image"]?.GetValue<string>() ?? "";

    public bool Destroyed => State == "destroyed";

    public bool AutoDestroy => Config.GetBool("auto_destroy") == true;

    public IReadOnlyDictionary<string, string> Metadata =>
        (Config["metadata"] as JsonObject ?? []).Where(p => p.Value?.GetValueKind() == System.Text.Json.JsonValueKind.String)
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);

    // The proxy routes only to machines with services; a one-off machine (migrations) has none.
    public bool HasServices => Config["services"] is JsonArray { Count: > 0 };

    // What the registry held for the image when this version was created; a later push of the tag does not change it.
    public string? Digest { get; set; }
}

internal sealed class FlyVolume
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string? AttachedMachineId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public int SizeGb { get; init; } = 10;
    public string State { get; set; } = "created";
    public List<FlySnapshot> Snapshots { get; } = [];
}

internal sealed class FlyAppState(string name)
{
    public string Name { get; } = name;
    public Lock Gate { get; } = new();
    public List<FlyMachine> Machines { get; } = [];
    public List<FlyVolume> Volumes { get; } = [];
}
