using ChatOps.Core.Bake;
using ChatOps.Core.Cards;
using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using ChatOps.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Core.Tests;

/// <summary>The whole core on in-memory ports, with a clock the test moves and people who type in one chat.</summary>
public abstract class CoreScenario : IAsyncLifetime
{
    protected const string Env = "env0";
    protected static readonly ChatUser Alice = ShapedSettings.Releaser;
    protected static readonly ChatUser Bob = ShapedSettings.Approver;

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));

    protected CoreRig Core { get; private set; } = null!;

    /// <summary>Where the core records deployments; none unless a test class sets it in its constructor.</summary>
    protected IDeploymentRecords? DeploymentRecords { get; init; }

    /// <summary>The metrics a bake reads; none (no Prometheus) unless a test class sets it in its constructor.</summary>
    protected IMetricsQuery? Metrics { get; init; }

    public Task InitializeAsync()
    {
        var settings = ShapedSettings.Create(1);
        Configure(settings);
        Core = new CoreRig(settings, Clock, deploymentRecords: DeploymentRecords, metrics: Metrics);
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync() => await Core.DisposeAsync();

    /// <summary>Settings for every test of the class; the defaults are one environment shaped like production.</summary>
    protected virtual void Configure(ChatOpsSettings settings)
    {
    }

    /// <summary>Settings are read once at start-up, as in the host: a test that needs others starts a new core.</summary>
    protected async Task RestartWithAsync(Action<ChatOpsSettings> configure)
    {
        await Core.DisposeAsync();
        var settings = ShapedSettings.Create(1);
        Configure(settings);
        configure(settings);
        Core = new CoreRig(settings, Clock, deploymentRecords: DeploymentRecords, metrics: Metrics);
    }

    /// <summary>Types a line as <paramref name="user"/> and waits for the work it started to settle.</summary>
    protected async Task<BotReply> SayAsync(ChatUser user, string text, string? updateId = null)
    {
        var reply = await Core.Bot.HandleAsync(new IncomingMessage(user, SignalSurface.Channel, text, updateId), CancellationToken.None);
        await Core.WhenIdleAsync();
        return reply;
    }

    /// <summary>Presses the one button of the last question the bot asked (a "Yes, …"), as <paramref name="user"/>.</summary>
    protected async Task<BotReply> PressYesAsync(ChatUser user)
    {
        var yes = Core.Surface.Notices.Last(n => n.Buttons.Count > 0).Buttons.Single();
        var reply = await Core.Bot.PressAsync(new ButtonPress(user, SignalSurface.Channel, yes.Token), CancellationToken.None);
        await Core.WhenIdleAsync();
        return reply;
    }

    /// <summary>Types a command that asks for a second press, then presses "Yes, …" as the same person.</summary>
    protected async Task<BotReply> SayConfirmedAsync(ChatUser user, string text)
    {
        var asked = await SayAsync(user, text);
        return asked.IsRefusal ? asked : await PressYesAsync(user);
    }

    protected async Task<Release> ReleaseAsync(long id) => (await Core.Store.Releases.GetAsync(id, CancellationToken.None))!;
}
