using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

// What the simulated Telegram holds, as snapshots a test can read without locks.

public sealed record TelegramChat(long Id, string Type, string? Title);

public sealed record TelegramUser(long Id, string FirstName, string? Username, bool IsBot = false);

public sealed record TelegramButton(string Text, string CallbackData, string? Style);

// Text is what a client shows (tags gone, entities decoded); Html is what the bot sent, when it used HTML.
public sealed record TelegramMessage(
    long ChatId,
    int Id,
    long FromId,
    string Text,
    string? Html,
    IReadOnlyList<TelegramButton> Buttons,
    int? ReplyTo,
    IReadOnlyList<string> Versions)
{
    public int EditCount => Versions.Count - 1;

    /// <summary>The forum topic the message is in (message_thread_id); null: the chat itself, or a forum's General topic.</summary>
    public int? ThreadId { get; init; }

    /// <summary>Users the message notifies: text mentions (<c>tg://user?id=</c>) and @usernames of users the simulator knows.</summary>
    public IReadOnlyList<long> Mentions { get; init; } = [];
}

// InWebhookAnswer: the bot put the call in its answer to a webhook delivery, and the simulator made it, as Telegram does.
public sealed record TelegramCall(string Method, JsonObject Body, TimeSpan At, int Status, string? Error, bool InWebhookAnswer = false);

public sealed record TelegramCallbackAnswer(string QueryId, string? Text, bool ShowAlert);

public sealed record TelegramWebhook(string Url, string? Secret);

public sealed record TelegramBotCommand(string Command, string Description);

internal sealed record TelegramFault(int ErrorCode, string Description, int? RetryAfter);

// A failure the way the Bot API reports it: HTTP status = error_code, the same in the body.
internal sealed class TelegramApiError(int code, string description, int? retryAfter = null) : Exception(description)
{
    public int Code => code;
    public int? RetryAfter => retryAfter;

    public static TelegramApiError BadRequest(string what) => new(400, "Bad Request: " + what);
}
