using ChatOps.Host.Hosting;
using ChatOps.IntegrationTests.Harness;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Durability;

/// <summary>One bot instance of a <see cref="HostPair"/>: its own process state, the pair's database and sandbox.</summary>
public sealed class SharedStoreHost : BotHost
{
    private SharedStoreHost(ChatOpsApp app)
        : base(app)
    {
    }

    public static async Task<SharedStoreHost> StartAsync(string connectionString, SandboxServer sandbox, Action<IServiceCollection>? configure)
    {
        // Short leases and sweeps, so that one instance takes over another's release within a test's patience.
        var app = await StartAppAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ChatOps"] = connectionString,
            ["ChatOps:LeaseTtl"] = "00:00:02",
            ["ChatOps:SweepInterval"] = "00:00:00.300",
            ["Serilog:MinimumLevel:Default"] = "Error",
        }, null, configure, sandbox);
        return new SharedStoreHost(app);
    }
}
