using System.Diagnostics;
using ChatOps.Core.Ports;
using ChatOps.Core.Runner;
using ChatOps.Host.Hosting;
using ChatOps.IntegrationTests.Harness;
using ChatOps.Sandbox;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Telegram;

/// <summary>The real host in sandbox mode with its Telegram client aimed at the loopback Telegram simulator.</summary>
public sealed class TelegramBotHost : IAsyncDisposable
{
    public const long Group = -1001234567890;
    public const long Releaser = 1001;
    public const long Approver = 1002;
    public const long Stranger = 1003;

    private TelegramBotHost(TelegramSimulator telegram, ChatOpsApp app)
    {
        Telegram = telegram;
        App = app;
    }

    public TelegramSimulator Telegram { get; }
    public ChatOpsApp App { get; }
    public SandboxServer Sandbox => App.Sandbox!;
    public ReleaseQueue Runner => App.Services.GetRequiredService<ReleaseQueue>();
    public IChatSurface Surface => App.Services.GetServices<IChatSurface>().Single(s => s.Platform == "telegram");

    public Uri WebhookUrl =>
        new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/telegram/webhook");

    public static async Task<TelegramBotHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var telegram = await TelegramSimulator.StartAsync();
        telegram.AddChat(Group, "supergroup", "Releases");
        var overrides = new Dictionary<string, string?>(TestSettings.Sandbox())
        {
            ["Telegram:BotToken"] = TelegramSimulator.DefaultToken,
            ["Telegram:ApiBaseUrl"] = telegram.BaseUrl.ToString(),
            ["ChatOps:Access:Releasers:0"] = $"telegram:{Releaser}",
            ["ChatOps:Access:Approvers:0"] = $"telegram:{Approver}",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            overrides[key] = value;
        try
        {
            var app = await ChatOpsApp.CreateAsync([], overrides);
            await app.Web.StartAsync();
            return new TelegramBotHost(telegram, app);
        }
        catch
        {
            await telegram.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls until the probe returns something, or fails naming what was awaited and what the chat shows.</summary>
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
        var chat = string.Join("\n---\n", Telegram.Messages(Group).Select(m => $"#{m.Id} from {m.FromId}: {m.Text} [{string.Join(", ", m.Buttons.Select(b => b.Text))}]"));
        throw new TimeoutException($"Waited {limit} for {what}. The group shows:\n{chat}");
    }

    public Task WaitUntilAsync(string what, Func<bool> condition, TimeSpan? timeout = null) =>
        WaitForAsync(what, () => condition() ? "" : null, timeout);

    /// <summary>The card (an HTML message, where replies are plain text) whose title starts so, e.g. "Release #1".</summary>
    public TelegramMessage? Card(string title) =>
        Telegram.BotMessages(Group).FirstOrDefault(m => m.Html is not null && m.Text.StartsWith(title, StringComparison.Ordinal));

    public Task<TelegramMessage> CardShowingAsync(string title, string text) =>
        WaitForAsync($"card '{title}' showing '{text}'", () => Card(title) is { } card && card.Text.Contains(text, StringComparison.Ordinal) ? card : null);

    public Task<TelegramMessage> CardWithButtonAsync(string title, string label) =>
        WaitForAsync($"card '{title}' with button '{label}'", () => Card(title) is { } card && card.Buttons.Any(b => b.Text == label) ? card : null);

    public Task<TelegramCallbackAnswer> AnswerToAsync(System.Text.Json.Nodes.JsonObject pressUpdate)
    {
        var queryId = (string)pressUpdate["callback_query"]!["id"]!;
        return WaitForAsync($"the answer to button press {queryId}", () => Telegram.Answers.FirstOrDefault(a => a.QueryId == queryId));
    }

    /// <summary>The bot's replies to one typed message.</summary>
    public IReadOnlyList<TelegramMessage> RepliesTo(System.Text.Json.Nodes.JsonObject textUpdate, long chat = Group)
    {
        var messageId = (int)textUpdate["message"]!["message_id"]!;
        return Telegram.BotMessages(chat).Where(m => m.ReplyTo == messageId).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await App.Web.StopAsync();
        await App.DisposeAsync();
        await Telegram.DisposeAsync();
    }
}
