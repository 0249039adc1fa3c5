using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

public sealed record FlyExecRequest(string App, string MachineId, IReadOnlyList<string> Command, int? TimeoutSeconds);

public sealed record FlyExecResult(int ExitCode, string Stdout, string Stderr);

public sealed record SimCheck(string Name, string Status, string Output, DateTimeOffset UpdatedAt);

// A point-in-time copy of a machine for test assertions; Config is a deep clone.
public sealed record SimMachine(
    string Id, string Name, string State, string Image, string InstanceId, IReadOnlyList<SimCheck> Checks, bool Leased,
    JsonObject Config);

internal sealed record MachineEvent(string Type, string Status, string Source, DateTimeOffset At);

internal sealed record FlyLease(string Nonce, DateTimeOffset ExpiresAt, string Owner, string Description, string Version);

internal sealed record FlySnapshot(string Id, long Size, string Digest, DateTimeOffset CreatedAt, DateTimeOffset VisibleAt);

internal sealed class FlyMachine
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string PrivateIp { get; init; }
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

    public string Image => Config["image"]?.GetValue<string>() ?? "";

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
