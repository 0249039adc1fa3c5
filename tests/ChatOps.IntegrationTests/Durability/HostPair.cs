using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Core.Store;
using ChatOps.IntegrationTests.Harness;
using ChatOps.IntegrationTests.Store;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Durability;

/// <summary>Bot hosts that share one PostgreSQL store and one sandbox, as two Fly machines share production.</summary>
public sealed class HostPair : IAsyncDisposable
{
    public static readonly ChatUser Alice = new("console:alice");
    public static readonly ChatUser Bob = new("console:bob");
    public static readonly ChatChannel Channel = new("console", "terminal");

    private readonly List<SharedStoreHost> _hosts = [];

    private HostPair(PostgresTestDatabase database, SandboxServer sandbox)
    {
        Database = database;
        Sandbox = sandbox;
    }

    public PostgresTestDatabase Database { get; }

    public SandboxServer Sandbox { get; }

    /// <param name="machineDelay">How long the simulated machines take to start and pass their checks.</param>
    public static async Task<HostPair> CreateAsync(TimeSpan? machineDelay = null)
    {
        var database = new PostgresTestDatabase();
        await database.InitializeAsync();
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Delay = machineDelay ?? TimeSpan.FromMilliseconds(20) });
        return new HostPair(database, sandbox);
    }

    public async Task<SharedStoreHost> StartHostAsync(Action<IServiceCollection>? configure = null)
    {
        var host = await SharedStoreHost.StartAsync(Database.ConnectionString, Sandbox, configure);
        _hosts.Add(host);
        return host;
    }

    public static Task<BotReply> SayAsync(BotHost host, ChatUser user, string text, string? updateId = null) =>
        host.Services.GetRequiredService<ChatOpsBot>().HandleAsync(new IncomingMessage(user, Channel, text, updateId), CancellationToken.None);

    /// <summary>Presses the "Yes, …" of the open question about a typed command (found in the shared store), as <paramref name="user"/>.</summary>
    public static async Task<BotReply> PressYesAsync(BotHost host, ChatUser user)
    {
        var open = await host.Services.GetRequiredService<IApprovalStore>().OpenAsync(ReleaseButtons.NoRelease, DateTimeOffset.UtcNow, CancellationToken.None);
        return await host.Services.GetRequiredService<ChatOpsBot>().PressAsync(new ButtonPress(user, Channel, Assert.Single(open).Token), CancellationToken.None);
    }

    /// <summary>Plays the people on call until the release ends: approves its migrations, resumes it when it needs attention.</summary>
    public static async Task<Release> DriveToEndAsync(BotHost host, long releaseId, TimeSpan limit, Func<bool>? stopWhen = null)
    {
        var (release, _) = await Eventually.MatchesAsync(
            async token =>
            {
                var release = await host.Store.GetAsync(releaseId, token) ?? throw new InvalidOperationException($"no release #{releaseId}");
                if (!release.IsActive || stopWhen?.Invoke() == true)
                    return (Release: release, Ended: true);
                var gate = release.Steps.FirstOrDefault(s => s.Name == Runbook.ApprovalStep);
                if (release.State == ReleaseState.AwaitApproval && gate?.Status == StepStatus.Waiting)
                    await host.Get<ApprovalCommands>().DecideAsync(releaseId, null, Bob, approve: true, token);
                else if (release.State == ReleaseState.NeedsAttention)
                    await host.Get<ResumeCommands>().ResumeAsync(releaseId, Alice, token);
                return (Release: release, Ended: false);
            },
            seen => seen.Ended,
            limit,
            $"release #{releaseId} to end" + (stopWhen is null ? "" : " or the test's stopping point"),
            seen => BotHost.Describe(seen.Release),
            poll: TimeSpan.FromMilliseconds(100));
        return release;
    }

    public async Task StopAsync(SharedStoreHost host)
    {
        await host.DisposeAsync();
        _hosts.Remove(host);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.ToList())
            await StopAsync(host);
        await Sandbox.DisposeAsync();
        await Database.DisposeAsync();
    }
}
