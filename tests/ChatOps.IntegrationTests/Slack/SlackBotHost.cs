using System.Diagnostics;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Host.Hosting;
using ChatOps.IntegrationTests.Harness;
using ChatOps.Sandbox;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Slack;

/// <summary>The real host in sandbox mode with its Slack client aimed at the loopback Slack simulator.</summary>
public sealed class SlackBotHost : IAsyncDisposable
{
    public const string Channel = "C0RELEASES";
    public const string Releaser = "U1001";
    public const string Approver = "U1002";
    public const string Stranger = "U1003";
    public const string SigningSecret = "sandbox-signing-secret";

    private SlackBotHost(SlackSimulator slack, ChatOpsApp app)
    {
        Slack = slack;
        App = app;
    }

    public SlackSimulator Slack { get; }
    public ChatOpsApp App { get; }
    public SandboxServer Sandbox => App.Sandbox!;

    public static async Task<SlackBotHost> StartAsync(bool socketMode = false, IDictionary<string, string?>? settings = null)
    {
        var slack = await SlackSimulator.StartAsync(SigningSecret);
        try
        {
            var app = await ChatOpsApp.CreateAsync([], Settings(slack, socketMode, settings));
            await app.Web.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            slack.BotUrl = new Uri(address.TrimEnd('/') + "/");
            slack.UseSocketMode = socketMode;
            return new SlackBotHost(slack, app);
        }
        catch
        {
            await slack.DisposeAsync();
            throw;
        }
    }

    public static Dictionary<string, string?> Settings(SlackSimulator slack, bool socketMode, IDictionary<string, string?>? settings = null)
    {
        var overrides = new Dictionary<string, string?>(TestSettings.Sandbox())
        {
            ["Slack:BotToken"] = slack.BotToken,
            ["Slack:SigningSecret"] = SigningSecret,
            ["Slack:ApiBaseUrl"] = slack.ApiUrl.ToString(),
            ["Slack:AppToken"] = socketMode ? slack.AppToken : "",
            ["ChatOps:Access:Releasers:0"] = $"slack:{Releaser}",
            ["ChatOps:Access:Approvers:0"] = $"slack:{Approver}",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            overrides[key] = value;
        return overrides;
    }

    public async Task<IReadOnlyList<Release>> ReleasesAsync() =>
        await App.Services.GetRequiredService<IReleaseStore>().ListAsync(null, activeOnly: false, limit: 100, CancellationToken.None);

    /// <summary>Polls until the probe returns something, or fails naming what was awaited and what the channel shows.</summary>
    public async Task<T> WaitForAsync<T>(string what, Func<T?> probe, TimeSpan? timeout = null)
        where T : class
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (probe() is { } found)
                return found;
            await Task.Delay(50);
        }
        var channel = string.Join("\n---\n", Slack.Messages(Channel).Select(m => $"{m.Ts}: {m.AllText} [{string.Join(", ", m.Buttons.Select(b => b.Text))}]"));
        var hooks = string.Join("\n", Slack.HookPosts().Select(p => $"{p.HookId}: {p.Text}"));
        throw new TimeoutException($"Waited {limit} for {what}. The channel shows:\n{channel}\nResponse URLs got:\n{hooks}");
    }

    public Task WaitUntilAsync(string what, Func<bool> condition, TimeSpan? timeout = null) =>
        WaitForAsync(what, () => condition() ? "" : null, timeout);

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

    public async ValueTask DisposeAsync()
    {
        await App.Web.StopAsync();
        await App.DisposeAsync();
        await Slack.DisposeAsync();
    }
}
