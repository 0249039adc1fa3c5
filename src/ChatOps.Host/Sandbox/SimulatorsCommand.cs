using System.Runtime.InteropServices;
using ChatOps.Host.Hosting;

namespace ChatOps.Host.Sandbox;

/// <summary>
/// <c>ChatOps.Host simulators</c>: the sandbox's loopback GitHub, Fly and target services on their own, configured
/// from the same settings as the bot (services, migrations app, repository, DatabaseUrl for the real Alembic), until
/// SIGINT or SIGTERM. Prints the base URL, then the settings that aim a live-mode bot at them, one
/// <c>Key__Sub=value</c> line each (the simulators' own fake tokens, no real secret), then <c>Ready</c>.
/// scripts/container-smoke.sh starts the bot in live mode against them.
/// </summary>
public static class SimulatorsCommand
{
    public const string Verb = CommandLine.Simulators;

    public static async Task<int> RunAsync(IConfiguration configuration, TextWriter output)
    {
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        await using var sandbox = await SandboxBootstrap.StartAsync(configuration, stop.Token);
        await output.WriteLineAsync($"Simulators at {sandbox.BaseUrl}");
        foreach (var (key, value) in SandboxBootstrap.Overlay(configuration, sandbox).OrderBy(pair => pair.Key, StringComparer.Ordinal))
            await output.WriteLineAsync($"{key.Replace(":", "__", StringComparison.Ordinal)}={value}");
        await output.WriteLineAsync("Ready");
        await output.FlushAsync(CancellationToken.None);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        return 0;
    }
}
