using ChatOps.Host.Hosting;
using ChatOps.Sandbox;

namespace ChatOps.Host.Sandbox;

/// <summary>
/// The host's one way to the ChatOps.Sandbox assembly in sandbox mode. The runtime loads an assembly when it compiles
/// code that names the assembly's types; the rest of the host knows the simulators only as <see cref="ISimulators"/>,
/// so live mode, which never runs this class, never loads them.
/// </summary>
public sealed class SandboxSimulators : ISimulators
{
    private readonly bool _owned;

    private SandboxSimulators(SandboxServer server, bool owned)
    {
        Server = server;
        _owned = owned;
    }

    /// <summary>The simulators themselves, for tests that inject faults and read what was called.</summary>
    public SandboxServer Server { get; }

    /// <summary>Starts simulators built from the bot's settings; the host stops them when it stops.</summary>
    public static async Task<ISimulators> StartAsync(IConfiguration configuration, CancellationToken cancellationToken) =>
        new SandboxSimulators(await SandboxBootstrap.StartAsync(configuration, cancellationToken), owned: true);

    /// <summary>Simulators already running and shared by several hosts (tests of two instances): no host stops them.</summary>
    public static ISimulators Shared(SandboxServer server) => new SandboxSimulators(server, owned: false);

    public IReadOnlyDictionary<string, string?> Aim(IConfiguration configuration) => SandboxBootstrap.Overlay(configuration, Server);

    public async ValueTask DisposeAsync()
    {
        if (_owned)
            await Server.DisposeAsync();
    }
}
