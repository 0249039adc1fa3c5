using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

// A loopback Telegram Bot API on its own Kestrel with a random port: POST /bot{token}/{method}, the {ok, result}
// envelope, getUpdates long polling with offsets, messages the real Telegram.Bot client can send, edit and press.
// Tests play the people in the chat (Type, Press) and read what the bot did (Messages, Calls, Answers).
public sealed partial class TelegramSimulator : IAsyncDisposable
{
    public const string DefaultToken = "123456:TEST";
    public const string DefaultBotUsername = "ChatOpsTestBot";

    private static readonly HttpClient WebhookClient = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<long, TelegramChat> _chats = [];
    private readonly Dictionary<long, TelegramUser> _users = [];
    private readonly Dictionary<(long Chat, int Id), TelegramMessage> _messages = [];
    private readonly Dictionary<long, int> _lastMessageId = [];
    private readonly List<TelegramCall> _calls = [];
    private readonly List<TelegramCallbackAnswer> _answers = [];
    private readonly Dictionary<string, Queue<TelegramFault>> _faults = new(StringComparer.OrdinalIgnoreCase);
    private WebApplication? _app;

    private TelegramSimulator(string token, TelegramUser bot)
    {
        Token = token;
        Bot = bot;
        _users[bot.Id] = bot;
    }

    public string Token { get; }
    public TelegramUser Bot { get; }
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    // Seeded random faults on a share of all Bot API calls, for the fault suite; null: none. Only 429s and 5xx: the
    // bot's Telegram client shares one timeout with its long poll (PollTimeout + 15 s), so a hang would cost that much.
    public RandomFaults? RandomFaults { get; set; }

    // A long poll is held at most this long, whatever timeout the client asked for, so tests stop quickly.
    public TimeSpan MaxPollHold { get; set; } = TimeSpan.FromSeconds(2);

    public static async Task<TelegramSimulator> StartAsync(string token = DefaultToken, string botUsername = DefaultBotUsername, CancellationToken cancellationToken = default)
    {
        var botId = long.Parse(token.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);
        var simulator = new TelegramSimulator(token, new TelegramUser(botId, "Release Bot", botUsername, IsBot: true));
        (simulator._app, simulator.BaseUrl) = await LoopbackHost.StartAsync(
            app => app.MapMethods("/bot{token}/{method}", ["GET", "POST"], simulator.InvokeAsync), cancellationToken);
        return simulator;
    }

    public IReadOnlyList<TelegramCall> Calls
    {
        get
        {
            lock (_gate)
                return [.. _calls];
        }
    }

    public IReadOnlyList<TelegramCallbackAnswer> Answers
    {
        get
        {
            lock (_gate)
                return [.. _answers];
        }
    }

    public IReadOnlyList<TelegramCall> CallsTo(string method) =>
        Calls.Where(c => string.Equals(c.Method, method, StringComparison.OrdinalIgnoreCase)).ToList();

    // The chat's messages in order, the bot's and the people's.
    public IReadOnlyList<TelegramMessage> Messages(long chatId)
    {
        lock (_gate)
            return _messages.Values.Where(m => m.ChatId == chatId).OrderBy(m => m.Id).ToList();
    }

    public IReadOnlyList<TelegramMessage> BotMessages(long chatId) => Messages(chatId).Where(m => m.FromId == Bot.Id).ToList();

    public TelegramMessage? Message(long chatId, int messageId)
    {
        lock (_gate)
            return _messages.GetValueOrDefault((chatId, messageId));
    }

    public void AddChat(long id, string? type = null, string? title = null)
    {
        lock (_gate)
            _chats[id] = new TelegramChat(id, type ?? (id < 0 ? "supergroup" : "private"), title ?? (id < 0 ? "Releases" : null));
    }

    public void AddUser(long id, string firstName, string? username = null)
    {
        lock (_gate)
            _users[id] = new TelegramUser(id, firstName, username);
    }

    // As if someone deleted the message in the chat: edits of it now fail with "message to edit not found".
    public void DeleteMessage(long chatId, int messageId)
    {
        lock (_gate)
            _messages.Remove((chatId, messageId));
    }

    // The next calls of a method fail this way, e.g. FailNext("editMessageText", 429, "Too Many Requests: retry after 2", 2).
    public void FailNext(string method, int errorCode, string description, int? retryAfter = null, int times = 1)
    {
        lock (_gate)
        {
            if (!_faults.TryGetValue(method, out var queue))
                _faults[method] = queue = new Queue<TelegramFault>();
            for (var i = 0; i < times; i++)
                queue.Enqueue(new TelegramFault(errorCode, description, retryAfter));
        }
    }

    // Delivers an update the way Telegram does in webhook mode: one JSON update per POST, the secret in a header.
    // The answer is not looked at: for refusals, and for benches whose simulator runs in another process.
    public static async Task<HttpStatusCode> PostWebhookAsync(Uri url, JsonObject update, string? secret, CancellationToken cancellationToken = default)
    {
        using var response = await SendWebhookAsync(url, update, secret, cancellationToken);
        return response.StatusCode;
    }

    // As PostWebhookAsync, and then, as Telegram does, makes the method call the bot put in a 2xx answer (the bot
    // never learns how it went; a failure is only in Calls).
    public async Task<HttpStatusCode> DeliverAsync(Uri url, JsonObject update, string? secret, CancellationToken cancellationToken = default)
    {
        using var response = await SendWebhookAsync(url, update, secret, cancellationToken);
        if (response.IsSuccessStatusCode && await AnswerAsync(response, cancellationToken) is { } call && call["method"]?.GetValue<string>() is { } method)
        {
            call.Remove("method");
            try
            {
                await PerformAsync(method, call, cancellationToken);
                Record(method, call, null, inWebhookAnswer: true);
            }
            catch (TelegramApiError error)
            {
                Record(method, call, error, inWebhookAnswer: true);
            }
        }
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> SendWebhookAsync(Uri url, JsonObject update, string? secret, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent(update) };
        if (secret is not null)
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        return await WebhookClient.SendAsync(request, cancellationToken);
    }

    private static async Task<JsonObject?> AnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return body.Length == 0 ? null : JsonNode.Parse(body) as JsonObject;
    }

    private static StringContent JsonContent(JsonNode node) =>
        new(node.ToJsonString(SandboxJson.Options), System.Text.Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        if (_app is null)
            return;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
