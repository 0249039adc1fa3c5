namespace ChatOps.Sandbox;

/// <summary>
/// How long each kind of outside call takes in the simulators. <c>sandbox</c> is the newcomer's feel (a machine
/// up and healthy within a blink, calls answered at once); <c>realistic</c> is what a release meets in production,
/// for benches; <c>zero</c> takes the outside world out of a measurement.
/// </summary>
/// <param name="GitHubApi">Added to every GitHub API call.</param>
/// <param name="FlyApi">Added to every Fly Machines API call (a <c>/wait</c> included).</param>
/// <param name="MachineReplace">From an update to the machine being <c>started</c> on the new image.</param>
/// <param name="ChecksAfterStart">From <c>started</c> to its checks passing.</param>
/// <param name="Exec">Added to a command run in a machine, on top of the command's own time.</param>
/// <param name="Probe">Added to every call to a target service (health, version, smoke tests).</param>
public sealed record SandboxLatency(
    TimeSpan GitHubApi, TimeSpan FlyApi, TimeSpan MachineReplace, TimeSpan ChecksAfterStart, TimeSpan Exec, TimeSpan Probe)
{
    public const string SandboxName = "sandbox";
    public const string ZeroName = "zero";
    public const string RealisticName = "realistic";

    public static readonly SandboxLatency Zero = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    public static readonly SandboxLatency Realistic = new(
        GitHubApi: TimeSpan.FromMilliseconds(150),
        FlyApi: TimeSpan.FromMilliseconds(200),
        MachineReplace: TimeSpan.FromSeconds(8),
        ChecksAfterStart: TimeSpan.FromSeconds(2),
        Exec: TimeSpan.FromSeconds(3),
        Probe: TimeSpan.FromMilliseconds(50));

    /// <summary>The simulators' feel before profiles existed: only machine transitions take <paramref name="delay"/>.</summary>
    public static SandboxLatency Sandbox(TimeSpan delay) => Zero with { MachineReplace = delay, ChecksAfterStart = delay };

    public static SandboxLatency Named(string name, TimeSpan delay) => name switch
    {
        SandboxName or "" => Sandbox(delay),
        ZeroName => Zero,
        RealisticName => Realistic,
        _ => throw new ArgumentException($"Sandbox:Latency must be {SandboxName}, {ZeroName} or {RealisticName}, not '{name}'.", nameof(name)),
    };
}
