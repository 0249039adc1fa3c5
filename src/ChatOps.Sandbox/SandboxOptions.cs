namespace ChatOps.Sandbox;

public sealed class SandboxOptions
{
    public string Repository { get; set; } = "acme/myloware";
    public string Branch { get; set; } = "main";
    public string InitialTag { get; set; } = "v0.1.0";

    // The release tags CI has pushed an image for, for every app (InitialTag always is). Any other tag is missing
    // from the registry until a test pushes it (FlyCloud.PushImages).
    public List<string> PushedTags { get; set; } =
        ["v0.1.0", "v0.2.0", "v0.2.1", "v0.3.0", "v0.4.0", "v1.1.0", "v1.2.0", "v1.3.0", "v1.3.1", "v1.4.0"];
    public List<SandboxApp> Apps { get; set; } = [new("api", "myloware-api", 2), new("orchestrator", "myloware-orchestrator", 2)];
    public string MigrationsApp { get; set; } = "myloware-api";

    // Other apps with a volume to snapshot (another environment's migrations app).
    public List<string> VolumeApps { get; set; } = [];

    // The target services' x-api-key.
    public string ApiKey { get; set; } = "sandbox-api-key";
    public string GitHubToken { get; set; } = "sandbox-github-token";
    public string FlyToken { get; set; } = "sandbox-fly-token";

    // A GitHub App the simulator knows: its id, the public half of its key (PEM) that JWTs are verified against, and
    // the installation on the repository. No public key: no app, and /app/* answers as to a stranger.
    public long GitHubAppId { get; set; } = 31337;
    public string? GitHubAppPublicKeyPem { get; set; }
    public long GitHubInstallationId { get; set; } = 7001;

    // Small realistic delays: a machine starting after an update, its checks turning passing, a snapshot appearing.
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(40);

    // A named profile's time for each kind of call; none keeps the sandbox's feel, built on Delay.
    public SandboxLatency? Latency { get; set; }

    internal SandboxLatency Latencies => Latency ?? SandboxLatency.Sandbox(Delay);
    // The steady load on the services, per machine, and which tags behave badly under it.
    public SandboxTraffic Traffic { get; set; } = new();

    public string[] RequiredChecks { get; set; } = ["test", "coverage", "ruff", "black"];
}

public sealed record SandboxApp(string Service, string FlyApp, int MachineCount);
