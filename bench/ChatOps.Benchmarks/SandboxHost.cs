using ChatOps.Host.Console;
using ChatOps.Host.Hosting;
using ChatOps.Host.Sandbox;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Benchmarks;

/// <summary>
/// The real host in sandbox mode on the given simulators, as the release-time and bake benches drive it: no console
/// (the bench speaks to the bot), straight to production (the example's promotion rule is not what is measured),
/// quiet logs, no metrics port, and the bench's own settings on top.
/// </summary>
public static class SandboxHost
{
    public static async Task<ChatOpsApp> StartAsync(SandboxServer sandbox, IReadOnlyDictionary<string, string?> settings)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["ChatOps:Mode"] = "sandbox",
            ["Urls"] = "http://127.0.0.1:0",
            ["Console:Enabled"] = "false",
            ["ChatOps:Environments:production:PromoteFrom"] = "",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Metrics:Port"] = "0",
        };
        foreach (var (key, value) in settings)
            overrides[key] = value;
        var app = await ChatOpsApp.CreateAsync([], overrides, services =>
            services.AddSingleton(new ConsoleIO(TextReader.Null, TextWriter.Null, interactive: false)), SandboxSimulators.Shared(sandbox));
        await app.Web.StartAsync();
        return app;
    }
}
