using ChatOps.Core.Chat;
using ChatOps.Core.Decisions;
using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Host.Hosting;
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

    private readonly List<ChatOpsApp> _hosts = [];

    private HostPair(PostgresTestDatabase database, SandboxServer sandbox)
    {
        Database = database;
        Sandbox = sandbox;
    }

    public PostgresTestDatabase Database { get; }

    public SandboxServer Sandbox { get; }

    public static async Task<HostPair> CreateAsync()
    {
        var database = new PostgresTestDatabase();
        await database.InitializeAsync();
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Delay = TimeSpan.FromMilliseconds(20) });
        return new HostPair(database, sandbox);
    }

    public async Task<ChatOpsApp> StartHostAsync(Action<IServiceCollection>? configure = null)
    {
        var overrides = new Dictionary<string, string?>(TestSettings.Sandbox())
        {
            ["ConnectionStrings:ChatOps"] = Database.ConnectionString,
            ["ChatOps:LeaseTtl"] = "00:00:02",
            ["ChatOps:SweepInterval"] = "00:00:00.300",
            ["Logging:Level"] = "Error",
        };
        var app = await ChatOpsApp.CreateAsync([], overrides, configure, Sandbox);
        await app.Web.StartAsync();
        _hosts.Add(app);
        return app;
    }

    public static Task<BotReply> SayAsync(ChatOpsApp host, ChatUser user, string text, string? updateId = null) =>
        host.Services.GetRequiredService<ChatOpsBot>().HandleAsync(new IncomingMessage(user, Channel, text, updateId), CancellationToken.None);

    /// <summary>Plays the people on call until the release ends: approves its migrations, resumes it when it needs attention.</summary>
    public static async Task<Release> DriveToEndAsync(ChatOpsApp host, long releaseId, TimeSpan limit, Func<bool>? stopWhen = null)
    {
        var store = host.Services.GetRequiredService<IReleaseStore>();
        var approvals = host.Services.GetRequiredService<ApprovalDecisions>();
        var stops = host.Services.GetRequiredService<StopDecisions>();
        using var timeout = new CancellationTokenSource(limit);
        while (true)
        {
            var release = await store.GetAsync(releaseId, timeout.Token) ?? throw new InvalidOperationException($"no release #{releaseId}");
            if (!release.IsActive || stopWhen?.Invoke() == true)
                return release;
            var gate = release.Steps.FirstOrDefault(s => s.Name == nameof(ReleaseState.AwaitApproval));
            if (release.State == ReleaseState.AwaitApproval && gate?.Status == StepStatus.Waiting)
                await approvals.DecideAsync(releaseId, null, Bob, approve: true, timeout.Token);
            else if (release.State == ReleaseState.NeedsAttention)
                await stops.ResumeAsync(releaseId, Alice, timeout.Token);
            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>Waits until release #1's <paramref name="step"/> has <paramref name="status"/>, as the store on <paramref name="host"/> reads it.</summary>
    public static async Task WaitForStepAsync(ChatOpsApp host, string step, StepStatus status, TimeSpan limit)
    {
        var store = host.Services.GetRequiredService<IReleaseStore>();
        using var timeout = new CancellationTokenSource(limit);
        while ((await store.GetAsync(1, timeout.Token))?.Steps.FirstOrDefault(s => s.Name == step)?.Status != status)
            await Task.Delay(20, timeout.Token);
    }

    public async Task StopAsync(ChatOpsApp host)
    {
        await host.Web.StopAsync();
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
