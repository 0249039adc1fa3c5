namespace ChatOps.Host.Fly;

// The parts of the Machines API JSON the client reads. Machines themselves stay JsonObject so their config
// round-trips with every field we do not model.
internal sealed record LeaseData(string? Nonce);

internal sealed record LeaseEnvelope(string? Status, LeaseData? Data, string? Message, string? Code);

internal sealed record ExecRequest(IReadOnlyList<string> Command, int Timeout);

// fly-go omits exit_code when it is 0.
internal sealed record ExecResponse(int? ExitCode, string? Stdout, string? Stderr);

internal sealed record Volume(string Id, string? State, DateTimeOffset? CreatedAt);

internal sealed record Snapshot(string Id, DateTimeOffset? CreatedAt, string? Status);
