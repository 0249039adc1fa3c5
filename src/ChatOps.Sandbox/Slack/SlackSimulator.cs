using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

// A loopback Slack on its own Kestrel with a random port, after reference/slack-api.md: the Web API methods the
// bot calls (POST /api/{method}), response_url hooks (POST /hooks/{id}), a Socket Mode WebSocket server
// (/link), and a signed-request sender that plays the people in the channel. Tests read what the bot did.
public sealed partial class SlackSimulator : IAsyncDisposable
{
    public const string DefaultBotToken = "xoxb-test";
    public const string DefaultAppToken = "xapp-1-test";
    public const string BotUserId = "U0CHATOPS";

    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<(string Channel, string Ts), SlackSimMessage> _messages = [];
    private readonly List<SlackApiCall> _calls = [];
    private readonly List<SlackHookPost> _hookPosts = [];
    private readonly Dictionary<string, Queue<SlackFault>> _faults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SlackSimUser> _users = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private long _lastTs;
    private long _ids;

    private SlackSimulator(string signingSecret, string botToken, string appToken)
    {
        SigningSecret = signingSecret;
        BotToken = botToken;
        AppToken = appToken;
    }

    public string SigningSecret { get; }
    public string BotToken { get; }

    // The bot token's scopes, as x-oauth-scopes reports them.
    public IReadOnlyList<string> Scopes { get; set; } = ["chat:write", "commands", "users:read"];
    public string AppToken { get; }
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");
    public Uri ApiUrl => new(BaseUrl, "api");

    // Seeded random faults on a share of all Web API calls and response_url posts, for the fault suite; null: none.
    public RandomFaults? RandomFaults { get; set; }

    // Where the bot listens (its /slack/* endpoints), for deliveries over HTTP.
    public Uri? BotUrl { get; set; }

    // On: commands, clicks and events go over the bot's Socket Mode connection instead of HTTP, as when the app
    // has Socket Mode enabled.
    public bool UseSocketMode { get; set; }

    public static async Task<SlackSimulator> StartAsync(
        string signingSecret, string botToken = DefaultBotToken, string appToken = DefaultAppToken, CancellationToken cancellationToken = default)
    {
        var simulator = new SlackSimulator(signingSecret, botToken, appToken);
        (simulator._app, simulator.BaseUrl) = await LoopbackHost.StartAsync(app =>
        {
            app.UseWebSockets();
            app.MapPost("/api/{method}", simulator.InvokeAsync);
            // Read methods such as users.info are also called with GET and their arguments in the query.
            app.MapGet("/api/{method}", simulator.InvokeAsync);
            app.MapPost("/hooks/{id}", simulator.HookAsync);
            app.Map("/link", (RequestDelegate)simulator.LinkAsync);
        }, cancellationToken);
        return simulator;
    }

    public IReadOnlyList<SlackApiCall> Calls
    {
        get
        {
            lock (_gate)
                return [.. _calls];
        }
    }

    public IReadOnlyList<SlackApiCall> CallsTo(string method) => Calls.Where(c => c.Method == method).ToList();

    // The bot's messages in a channel, oldest first; thread replies included.
    public IReadOnlyList<SlackSimMessage> Messages(string channel)
    {
        lock (_gate)
            return _messages.Values.Where(m => m.Channel == channel).OrderBy(m => m.Ts, StringComparer.Ordinal).ToList();
    }

    // What the channel shows without opening a thread: the bot's messages that are no thread reply, oldest first.
    public IReadOnlyList<SlackSimMessage> TopLevel(string channel) => [.. Messages(channel).Where(m => m.ThreadTs is null)];

    // The bot's replies in the thread of the message posted at ts, oldest first.
    public IReadOnlyList<SlackSimMessage> Thread(string channel, string ts) => [.. Messages(channel).Where(m => m.ThreadTs == ts)];

    public IReadOnlyList<SlackHookPost> HookPosts(string? hookId = null)
    {
        lock (_gate)
            return _hookPosts.Where(p => hookId is null || p.HookId == hookId).ToList();
    }

    // The next calls of a method fail this way, e.g. FailNext("chat.update", "ratelimited", 429, retryAfter: 1).
    public void FailNext(string method, string error, int status = 200, int? retryAfter = null, int times = 1)
    {
        lock (_gate)
        {
            if (!_faults.TryGetValue(method, out var queue))
                _faults[method] = queue = new Queue<SlackFault>();
            for (var i = 0; i < times; i++)
                queue.Enqueue(new SlackFault(error, status, retryAfter));
        }
    }

    // A member of the workspace, as users.info describes them; ids not added answer user_not_found.
    public void AddUser(string id, string realName, string displayName = "")
    {
        lock (_gate)
            _users[id] = new SlackSimUser(id, realName, displayName);
    }

    // As if someone deleted the message: updates of it now fail with message_not_found.
    public void DeleteMessage(string channel, string ts)
    {
        lock (_gate)
            _messages.Remove((channel, ts));
    }

    private string NextId(string prefix) => $"{prefix}{Interlocked.Increment(ref _ids):D6}";

    // Slack's ts: seconds and microseconds as a string, unique and increasing within the workspace.
    private string NextTs()
    {
        var n = Interlocked.Increment(ref _lastTs);
        return $"{1785585600 + n / 100_000}.{n % 100_000 * 10:D6}";
    }

    private static JsonObject Copy(JsonObject json) => (JsonObject)json.DeepClone();

    public async ValueTask DisposeAsync()
    {
        if (_app is null)
            return;
        AbortSockets();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
