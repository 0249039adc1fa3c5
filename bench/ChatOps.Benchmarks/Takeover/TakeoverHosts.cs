using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Core.Store;
using ChatOps.Host.Console;
using ChatOps.Host.Hosting;
using ChatOps.Host.Sandbox;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Benchmarks.Takeover;

/// <summary>Real bot hosts in sandbox mode on one Postgres database and one shared sandbox, as two Fly machines share production.</summary>
public static class TakeoverHosts
{
    public static readonly ChatUser Alice = new("console:alice");
    public static readonly ChatUser Bob = new("console:bob");
    private static readonly ChatChannel Channel = new("console", "terminal");

    public static async Task<ChatOpsApp> StartAsync(string connectionString, SandboxServer sandbox, TakeoverSetting setting, Action<IServiceCollection>? configure)
    {
        // As in the integration tests' HostPair, except that the lease TTL and sweep are the setting under measurement.
        var overrides = new Dictionary<string, string?>
        {
            ["ChatOps:Mode"] = "sandbox",
            ["Urls"] = "http://127.0.0.1:0",
            ["Console:Enabled"] = "false",
            ["ConnectionStrings:ChatOps"] = connectionString,
            ["ChatOps:VerifyInterval"] = "00:00:00.200",
            ["ChatOps:VerifyAttempts"] = "3",
            ["OutsideCalls:RetryBaseDelay"] = "00:00:00.050",
            // The dead host logs its failed write as an error on every run; the figures say whether the run went well.
            ["Logging:Level"] = "Fatal",
        };
        if (setting.LeaseTtl is { } ttl)
            overrides["ChatOps:LeaseTtl"] = ttl.ToString("c");
        if (setting.Sweep is { } sweep)
            overrides["ChatOps:SweepInterval"] = sweep.ToString("c");
        var app = await ChatOpsApp.CreateAsync([], overrides, services =>
        {
            // The console chat's cards would mix with the figures on stdout.
            services.AddSingleton(new ConsoleIO(TextReader.Null, TextWriter.Null, interactive: false));
            configure?.Invoke(services);
        }, SandboxSimulators.Shared(sandbox));
        await app.Web.StartAsync();
        return app;
    }

    public static async Task StopAsync(ChatOpsApp host)
    {
        await host.Web.StopAsync();
        await host.DisposeAsync();
    }

    public static Task<BotReply> SayAsync(ChatOpsApp host, ChatUser user, string text) =>
        host.Services.GetRequiredService<ChatOpsBot>().HandleAsync(new IncomingMessage(user, Channel, text), CancellationToken.None);

    /// <summary>Types a command and, when it asks for a second press (a typed /rollback does), presses "Yes" at once.</summary>
    public static async Task<BotReply> SayConfirmedAsync(ChatOpsApp host, ChatUser user, string text)
    {
        var asked = await SayAsync(host, user, text);
        var open = await host.Services.GetRequiredService<ReleaseButtons>().OpenAsync(ReleaseButtons.NoRelease, CancellationToken.None);
        if (asked.IsRefusal || open.Count == 0)
            return asked;
        return await host.Services.GetRequiredService<ChatOpsBot>().PressAsync(new ButtonPress(user, Channel, open[^1].Token), CancellationToken.None);
    }

    /// <summary>Plays the approver on <paramref name="host"/> until <paramref name="until"/> holds or the release ends.</summary>
    public static async Task<Release> DriveAsync(ChatOpsApp host, long releaseId, Func<bool> until, TimeSpan limit)
    {
        var store = host.Services.GetRequiredService<IReleaseStore>();
        var approvals = host.Services.GetRequiredService<ApprovalCommands>();
        using var timeout = new CancellationTokenSource(limit);
        while (true)
        {
            var release = await store.GetAsync(releaseId, timeout.Token) ?? throw new InvalidOperationException($"no release #{releaseId}");
            if (!release.IsActive || until())
                return release;
            var gate = release.Steps.FirstOrDefault(s => s.Name == Runbook.ApprovalStep);
            if (release.State == ReleaseState.AwaitApproval && gate?.Status == StepStatus.Waiting)
                await approvals.DecideAsync(releaseId, null, Bob, approve: true, timeout.Token);
            await Task.Delay(20, timeout.Token);
        }
    }
}
