using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

// The update queue: what people do becomes updates, fetched by getUpdates (offset confirms) or posted to a webhook.
public sealed partial class TelegramSimulator
{
    private readonly List<JsonObject> _updates = [];
    private readonly HashSet<string> _openQueries = [];
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextUpdateId = 100_000_001;
    private int _nextQueryId = 1;
    private int _polling;

    public TelegramWebhook? Webhook { get; private set; }

    // Why Telegram's last delivery to the webhook failed, as getWebhookInfo reports it (e.g. "Wrong response from the
    // webhook: 502 Bad Gateway"); null: no delivery failed. The simulator posts to no webhook itself, so tests set it.
    public string? WebhookLastError { get; set; }

    // When that delivery failed (getWebhookInfo's last_error_date); null: at the moment getWebhookInfo is asked.
    public DateTimeOffset? WebhookLastErrorAt { get; set; }

    public int PendingUpdates
    {
        get
        {
            lock (_gate)
                return _updates.Count;
        }
    }

    // Someone types in a chat; a leading /word becomes a bot_command entity, as the Telegram clients mark it.
    public JsonObject Type(long chatId, long userId, string text) => Enqueue(NewTextUpdate(chatId, userId, text));

    // Someone types in a forum topic of a chat (message_thread_id, is_topic_message).
    public JsonObject TypeInTopic(long chatId, int threadId, long userId, string text) => Enqueue(NewTextUpdate(chatId, userId, text, threadId));

    // Someone presses the button with this label on a bot message.
    public JsonObject Press(long chatId, long userId, int messageId, string label) => Enqueue(NewButtonUpdate(chatId, userId, messageId, label));

    public JsonObject NewTextUpdate(long chatId, long userId, string text, int? threadId = null)
    {
        lock (_gate)
        {
            var message = Store(new TelegramMessage(chatId, NextMessageId(Chat(chatId).Id), User(userId).Id, text, null, [], null, [text]) { ThreadId = threadId });
            var json = MessageJson(message);
            if (text.StartsWith('/'))
            {
                var length = text.IndexOfAny([' ', '\n']) is var end and > 0 ? end : text.Length;
                json["entities"] = new JsonArray(new JsonObject { ["offset"] = 0, ["length"] = length, ["type"] = "bot_command" });
            }
            return new JsonObject { ["update_id"] = _nextUpdateId++, ["message"] = json };
        }
    }

    public JsonObject NewButtonUpdate(long chatId, long userId, int messageId, string label)
    {
        lock (_gate)
        {
            var message = _messages.GetValueOrDefault((chatId, messageId)) ?? throw new InvalidOperationException($"no message {messageId} in chat {chatId}");
            var button = message.Buttons.FirstOrDefault(b => b.Text == label)
                ?? throw new InvalidOperationException($"message {messageId} has no button '{label}' (it has: {string.Join(", ", message.Buttons.Select(b => b.Text))})");
            var queryId = $"q{_nextQueryId++}";
            _openQueries.Add(queryId);
            var query = new JsonObject
            {
                ["id"] = queryId,
                ["from"] = UserJson(User(userId)),
                ["message"] = MessageJson(message),
                ["chat_instance"] = $"ci{chatId}",
                ["data"] = button.CallbackData,
            };
            return new JsonObject { ["update_id"] = _nextUpdateId++, ["callback_query"] = query };
        }
    }

    // Queues an update for getUpdates; the same update queued twice is a redelivery (same update_id).
    public JsonObject Enqueue(JsonObject update)
    {
        lock (_gate)
        {
            _updates.Add((JsonObject)update.DeepClone());
            var arrived = _arrived;
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            arrived.TrySetResult();
        }
        return update;
    }

    private async Task<JsonNode> GetUpdatesAsync(JsonObject args, CancellationToken aborted)
    {
        if (Webhook is not null)
            throw new TelegramApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        if (Interlocked.Exchange(ref _polling, 1) == 1)
            throw new TelegramApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
        try
        {
            var offset = Long(args, "offset");
            var limit = (int)Math.Clamp(Long(args, "limit") ?? 100, 1, 100);
            var hold = TimeSpan.FromSeconds(Math.Max(0, Long(args, "timeout") ?? 0));
            var deadline = _clock.Elapsed + (hold < MaxPollHold ? hold : MaxPollHold);
            while (true)
            {
                Task arrived;
                lock (_gate)
                {
                    Confirm(offset);
                    var batch = _updates.Where(u => offset is not > 0 || (int)u["update_id"]! >= offset).Take(limit).ToList();
                    if (batch.Count > 0 || _clock.Elapsed >= deadline)
                        return new JsonArray([.. batch.Select(u => u.DeepClone())]);
                    arrived = _arrived.Task;
                }
                var left = deadline - _clock.Elapsed;
                try
                {
                    if (left > TimeSpan.Zero)
                        await arrived.WaitAsync(left, aborted);
                }
                catch (TimeoutException)
                {
                    // The hold ran out: the next round answers [].
                }
            }
        }
        finally
        {
            Volatile.Write(ref _polling, 0);
        }
    }

    // An update is confirmed (forgotten) once a poll asks for a higher offset; -N keeps only the last N.
    private void Confirm(long? offset)
    {
        if (offset is > 0)
            _updates.RemoveAll(u => (int)u["update_id"]! < offset);
        else if (offset is < 0 && _updates.Count > -offset)
            _updates.RemoveRange(0, _updates.Count - (int)-offset);
    }

    private JsonNode SetWebhook(JsonObject args)
    {
        var url = Str(args, "url") ?? throw TelegramApiError.BadRequest("url is empty");
        var secret = Str(args, "secret_token");
        if (secret is not null && (secret.Length is 0 or > 256 || !secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
            throw TelegramApiError.BadRequest("secret token contains unallowed characters");
        lock (_gate)
        {
            Webhook = url.Length == 0 ? null : new TelegramWebhook(url, secret);
            if (Bool(args, "drop_pending_updates"))
                _updates.Clear();
        }
        return true;
    }

    private JsonNode DeleteWebhook(JsonObject args)
    {
        lock (_gate)
        {
            Webhook = null;
            if (Bool(args, "drop_pending_updates"))
                _updates.Clear();
        }
        return true;
    }

    private JsonNode WebhookInfo()
    {
        lock (_gate)
        {
            var info = new JsonObject { ["url"] = Webhook?.Url ?? "", ["has_custom_certificate"] = false, ["pending_update_count"] = _updates.Count };
            if (WebhookLastError is { } error)
            {
                info["last_error_date"] = (WebhookLastErrorAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
                info["last_error_message"] = error;
            }
            return info;
        }
    }
}
