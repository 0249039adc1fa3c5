using ChatOps.Core.Cards;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Core.Store;
using ChatOps.Host.Hosting;
using ChatOps.Host.Sandbox;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Harness;

/// <summary>
/// The real host in sandbox mode, started on a free loopback port. Subclasses add the way a test talks to it
/// (a chat simulator, the console) and what a failed wait should show of that conversation.
/// </summary>
public abstract class BotHost : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);

    protected BotHost(ChatOpsApp app) => App = app;

    public ChatOpsApp App { get; }

    public IServiceProvider Services => App.Services;

    public SandboxServer Sandbox => ((SandboxSimulators)App.Simulators!).Server;

    public IReleaseStore Store => Services.GetRequiredService<IReleaseStore>();

    public Uri BaseUrl => new(App.Web.Urls.First().TrimEnd('/') + "/");

    /// <summary>The core's parts, for tests that decide without going through a chat (approve, cancel, resume).</summary>
    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Completes when no release is being advanced: all are waiting, stopped or finished.</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default) => Get<ReleaseQueue>().WhenIdleAsync(cancellationToken);

    /// <summary>
    /// Creates and starts the app on <see cref="TestSettings"/> with the host's settings and then the test's on top;
    /// an app that fails to start is disposed, so the caller only cleans up what it started itself.
    /// </summary>
    protected static async Task<ChatOpsApp> StartAppAsync(
        IDictionary<string, string?> hostSettings,
        IDictionary<string, string?>? testSettings,
        Action<IServiceCollection>? configure = null,
        SandboxServer? sharedSandbox = null)
    {
        var app = await ChatOpsApp.CreateAsync([], TestSettings.Sandbox(hostSettings, testSettings), configure,
            sharedSandbox is null ? null : SandboxSimulators.Shared(sharedSandbox));
        try
        {
            await app.Web.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    protected IChatSurface SurfaceFor(string platform) => Services.GetServices<IChatSurface>().Single(s => s.Platform == platform);

    public async Task<IReadOnlyList<Release>> ReleasesAsync() =>
        await Store.ListAsync(null, activeOnly: false, limit: 100, CancellationToken.None);

    public async Task<Release> ReleaseAsync(long id) =>
        await Store.GetAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"no release #{id}");

    /// <summary>What the conversation shows, for the message of a wait that timed out.</summary>
    protected virtual string Scene() => "";

    public Task<T> WaitForAsync<T>(string what, Func<T?> probe, TimeSpan? timeout = null)
        where T : class =>
        Eventually.FoundAsync(probe, timeout ?? DefaultWait, what, Scene);

    public Task WaitUntilAsync(string what, Func<bool> condition, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(condition, timeout ?? DefaultWait, what, Scene);

    public async Task<Release> WaitForReleaseAsync(long id, string what, Func<Release, bool> until, TimeSpan? timeout = null, TimeSpan? poll = null) =>
        (await Eventually.MatchesAsync(
            token => Store.GetAsync(id, token),
            release => release is not null && until(release),
            timeout ?? DefaultWait,
            $"release #{id} {what}",
            Describe,
            Scene,
            poll))!;

    public Task<Release> WaitForStateAsync(long id, ReleaseState state, TimeSpan? timeout = null) =>
        WaitForReleaseAsync(id, $"to reach {state}", release => release.State == state, timeout);

    public Task<Release> WaitForStepAsync(long id, string step, StepStatus status, TimeSpan? timeout = null) =>
        WaitForReleaseAsync(id, $"to have {step} {status}", release => release.Steps.FirstOrDefault(s => s.Name == step)?.Status == status, timeout);

    /// <summary>A release as a failed wait shows it: where it is and how each step stands.</summary>
    public static string Describe(Release? release) => release is null
        ? "no such release"
        : $"{release.State}, steps {string.Join(", ", release.Steps.Select(s => $"{s.Name} {s.Status}"))}";

    /// <summary>Runs once the app has stopped: subclasses let go of what they started beside it.</summary>
    protected virtual ValueTask OnStoppedAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.Web.StopAsync();
            await App.DisposeAsync();
        }
        finally
        {
            await OnStoppedAsync();
        }
        GC.SuppressFinalize(this);
    }
}
