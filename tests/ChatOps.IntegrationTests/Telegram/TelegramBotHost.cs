using System.Text.Json.Nodes;
using ChatOps.Core.Cards;
using ChatOps.Host.Hosting;
using ChatOps.IntegrationTests.Harness;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Telegram;

/// <summary>The real host in sandbox mode with its Telegram client aimed at the loopback Telegram simulator.</summary>
public sealed class TelegramBotHost : BotHost
{
    public const long Group = -1001234567890;
    public const long Releaser = 1001;
    public const long Approver = 1002;
    public const long Stranger = 1003;

    private TelegramBotHost(TelegramSimulator telegram, ChatOpsApp app)
        : base(app) => Telegram = telegram;

    public TelegramSimulator Telegram { get; }

    public IChatSurface Surface => SurfaceFor("telegram");

    public Uri WebhookUrl => new(BaseUrl, "telegram/webhook");

    public static async Task<TelegramBotHost> StartAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var telegram = await TelegramSimulator.StartAsync();
        telegram.AddChat(Group, "supergroup", "Releases");
        try
        {
            var app = await StartAppAsync(new Dictionary<string, string?>
            {
                ["Telegram:BotToken"] = TelegramSimulator.DefaultToken,
                ["Telegram:ApiBaseUrl"] = telegram.BaseUrl.ToString(),
                ["ChatOps:Access:Releasers:0"] = $"telegram:{Releaser}",
                ["ChatOps:Access:Approvers:0"] = $"telegram:{Approver}",
            }, settings, configure);
            return new TelegramBotHost(telegram, app);
        }
        catch
        {
            await telegram.DisposeAsync();
            throw;
        }
    }

    protected override string Scene() =>
        "The group shows:\n" + string.Join("\n---\n", Telegram.Messages(Group).Select(m => $"#{m.Id} from {m.FromId}: {m.Text} [{string.Join(", ", m.Buttons.Select(b => b.Text))}]"));

    /// <summary>The card (an HTML message, where replies are plain text) whose title starts so, e.g. "Release #1".</summary>
    public TelegramMessage? Card(string title) =>
        Telegram.BotMessages(Group).FirstOrDefault(m => m.Html is not null && m.Text.StartsWith(title, StringComparison.Ordinal));

    public Task<TelegramMessage> CardShowingAsync(string title, string text) =>
        WaitForAsync($"card '{title}' showing '{text}'", () => Card(title) is { } card && card.Text.Contains(text, StringComparison.Ordinal) ? card : null);

    public Task<TelegramMessage> CardWithButtonAsync(string title, string label) =>
        WaitForAsync($"card '{title}' with button '{label}'", () => Card(title) is { } card && card.Buttons.Any(b => b.Text == label) ? card : null);

    public Task<TelegramCallbackAnswer> AnswerToAsync(JsonObject pressUpdate)
    {
        var queryId = (string)pressUpdate["callback_query"]!["id"]!;
        return WaitForAsync($"the answer to button press {queryId}", () => Telegram.Answers.FirstOrDefault(a => a.QueryId == queryId));
    }

    /// <summary>The bot's replies to one typed message.</summary>
    public IReadOnlyList<TelegramMessage> RepliesTo(JsonObject textUpdate, long chat = Group)
    {
        var messageId = (int)textUpdate["message"]!["message_id"]!;
        return Telegram.BotMessages(chat).Where(m => m.ReplyTo == messageId).ToList();
    }

    protected override ValueTask OnStoppedAsync() => Telegram.DisposeAsync();
}
