using ChatOps.Core.Cards;
using ChatOps.Host.Hosting;
using ChatOps.IntegrationTests.Harness;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Slack;

/// <summary>The real host in sandbox mode with its Slack client aimed at the loopback Slack simulator.</summary>
public sealed class SlackBotHost : BotHost
{
    public const string Channel = "C0RELEASES";
    public const string Releaser = "U1001";
    public const string Approver = "U1002";
    public const string Stranger = "U1003";
    public const string SigningSecret = "sandbox-signing-secret";

    private readonly bool _ownsSlack;

    private SlackBotHost(SlackSimulator slack, ChatOpsApp app, bool ownsSlack = true)
        : base(app) => (Slack, _ownsSlack) = (slack, ownsSlack);

    public SlackSimulator Slack { get; }

    public IChatSurface Surface => SurfaceFor("slack");

    public static async Task<SlackBotHost> StartAsync(bool socketMode = false, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var slack = await SlackSimulator.StartAsync(SigningSecret);
        try
        {
            var host = new SlackBotHost(slack, await StartAppAsync(HostSettings(slack, socketMode), settings, configure));
            slack.BotUrl = host.BaseUrl;
            slack.UseSocketMode = socketMode;
            return host;
        }
        catch
        {
            await slack.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// One life of a bot on a Slack, store and sandbox that outlive it, for restarts: the caller keeps the simulator
    /// and the sandbox, and the settings name the shared store.
    /// </summary>
    public static async Task<SlackBotHost> StartOnAsync(SlackSimulator slack, SandboxServer sandbox, IDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var host = new SlackBotHost(slack, await StartAppAsync(HostSettings(slack, socketMode: false), settings, configure, sandbox), ownsSlack: false);
        slack.BotUrl = host.BaseUrl;
        return host;
    }

    /// <summary>All the settings a Slack host starts with, for a test that starts the app itself.</summary>
    public static Dictionary<string, string?> Settings(SlackSimulator slack, bool socketMode, IDictionary<string, string?>? settings = null) =>
        TestSettings.Sandbox(HostSettings(slack, socketMode), settings);

    private static Dictionary<string, string?> HostSettings(SlackSimulator slack, bool socketMode) => new()
    {
        ["Slack:BotToken"] = slack.BotToken,
        ["Slack:SigningSecret"] = SigningSecret,
        ["Slack:ApiBaseUrl"] = slack.ApiUrl.ToString(),
        ["Slack:AppToken"] = socketMode ? slack.AppToken : "",
        ["ChatOps:Access:Releasers:0"] = $"slack:{Releaser}",
        ["ChatOps:Access:Approvers:0"] = $"slack:{Approver}",
    };

    protected override string Scene()
    {
        var channel = string.Join("\n---\n", Slack.Messages(Channel).Select(m =>
            $"{m.Ts}{(m.ThreadTs is { } parent ? $" (in the thread of {parent})" : "")}: {m.AllText} [{string.Join(", ", m.Buttons.Select(b => b.Text))}]"));
        var hooks = string.Join("\n", Slack.HookPosts().Select(p => $"{p.HookId}: {p.Text}"));
        return $"The channel shows:\n{channel}\nResponse URLs got:\n{hooks}";
    }

    /// <summary>The bot's message in the channel whose fallback text starts with the title, e.g. "Release #1".</summary>
    public SlackSimMessage? Card(string title) =>
        Slack.Messages(Channel).FirstOrDefault(m => m.ThreadTs is null && m.Text.StartsWith(title, StringComparison.Ordinal));

    public Task<SlackSimMessage> CardShowingAsync(string title, string text) =>
        WaitForAsync($"card '{title}' showing '{text}'", () => Card(title) is { } card && card.AllText.Contains(text, StringComparison.Ordinal) ? card : null);

    public Task<SlackSimMessage> CardWithButtonAsync(string title, string label) =>
        WaitForAsync($"card '{title}' with button '{label}'", () => Card(title) is { } card && card.Buttons.Any(b => b.Text == label) ? card : null);

    /// <summary>The bot's answer through the response_url that came with a command or a click.</summary>
    public async Task<SlackHookPost> ReplyToAsync(SlackDelivery delivery)
    {
        Assert.Equal(200, delivery.Status);
        return await WaitForAsync($"an answer on {delivery.HookId}", () => Slack.HookPosts(delivery.HookId).FirstOrDefault());
    }

    protected override ValueTask OnStoppedAsync() => _ownsSlack ? Slack.DisposeAsync() : ValueTask.CompletedTask;
}
