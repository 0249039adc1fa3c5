using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatOps.Sandbox;

// sendMessage, editMessageText, answerCallbackQuery and setMyCommands, with Telegram's checks and error strings.
public sealed partial class TelegramSimulator
{
    private const int MaxText = 4096;
    private const string NotModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

    private IReadOnlyList<TelegramBotCommand> _commands = [];

    public IReadOnlyList<TelegramBotCommand> Commands
    {
        get
        {
            lock (_gate)
                return _commands;
        }
    }

    private JsonNode SendMessage(JsonObject args)
    {
        var chatId = Long(args, "chat_id") ?? throw TelegramApiError.BadRequest("chat_id is empty");
        var (text, html) = Text(args);
        var buttons = Buttons(args);
        var replyTo = Node(args, "reply_parameters")?["message_id"]?.GetValue<int>();
        // A message goes to the topic named by message_thread_id, and only there: a reply to a message in a topic that
        // names none lands in General here. Whether Telegram moves such a reply into the replied-to message's topic
        // is not documented (unconfirmed); the bot always names the topic, so the unkind reading is the one simulated.
        var threadId = (int?)Long(args, "message_thread_id");
        lock (_gate)
        {
            if (!_chats.ContainsKey(chatId))
                throw TelegramApiError.BadRequest("chat not found");
            if (threadId is { } topic && !_messages.Values.Any(m => m.ChatId == chatId && m.ThreadId == topic))
                throw TelegramApiError.BadRequest("message thread not found");
            if (replyTo is { } r && !_messages.ContainsKey((chatId, r)) && Node(args, "reply_parameters")?["allow_sending_without_reply"]?.GetValue<bool>() != true)
                throw TelegramApiError.BadRequest("message to be replied not found");
            var message = Store(new TelegramMessage(chatId, NextMessageId(chatId), Bot.Id, text, html, buttons, replyTo, [text]) { Mentions = MentionsIn(text, html), ThreadId = threadId });
            return MessageJson(message);
        }
    }

    private JsonNode EditMessageText(JsonObject args)
    {
        var chatId = Long(args, "chat_id") ?? throw TelegramApiError.BadRequest("chat_id is empty");
        var messageId = (int)(Long(args, "message_id") ?? throw TelegramApiError.BadRequest("message_id is empty"));
        var (text, html) = Text(args);
        var buttons = Buttons(args);
        lock (_gate)
        {
            if (!_messages.TryGetValue((chatId, messageId), out var message))
                throw TelegramApiError.BadRequest("message to edit not found");
            if (message.FromId != Bot.Id)
                throw TelegramApiError.BadRequest("message can't be edited");
            if (message.Text == text && message.Html == html && message.Buttons.SequenceEqual(buttons))
                throw TelegramApiError.BadRequest(NotModified);
            return MessageJson(Store(message with { Text = text, Html = html, Buttons = buttons, Versions = [.. message.Versions, text] }));
        }
    }

    private JsonNode AnswerCallbackQuery(JsonObject args)
    {
        var id = Str(args, "callback_query_id") ?? throw TelegramApiError.BadRequest("query ID is empty");
        var text = Str(args, "text");
        if (text is { Length: > 200 })
            throw TelegramApiError.BadRequest("MESSAGE_TOO_LONG");
        lock (_gate)
        {
            if (!_openQueries.Remove(id))
                throw TelegramApiError.BadRequest("query is too old and response timeout expired or query ID is invalid");
            _answers.Add(new TelegramCallbackAnswer(id, text, Bool(args, "show_alert")));
        }
        return true;
    }

    private JsonNode SetMyCommands(JsonObject args)
    {
        var list = Node(args, "commands") as JsonArray ?? throw TelegramApiError.BadRequest("commands is empty");
        var commands = list.Select(c => new TelegramBotCommand((string?)c?["command"] ?? "", (string?)c?["description"] ?? "")).ToList();
        if (commands.Count > 100 || commands.Any(c => !CommandName().IsMatch(c.Command)))
            throw TelegramApiError.BadRequest("BOT_COMMAND_INVALID");
        if (commands.Any(c => c.Description.Length is 0 or > 256))
            throw TelegramApiError.BadRequest("BOT_COMMAND_DESCRIPTION_INVALID");
        lock (_gate)
            _commands = commands;
        return true;
    }

    // The text as shown and, in HTML mode, as sent; both checked the way Telegram checks them.
    private static (string Text, string? Html) Text(JsonObject args)
    {
        var raw = Str(args, "text") ?? throw TelegramApiError.BadRequest("message text is empty");
        var mode = Str(args, "parse_mode");
        string text;
        if (string.Equals(mode, "HTML", StringComparison.OrdinalIgnoreCase))
        {
            var (plain, error) = TelegramHtml.Parse(raw);
            text = plain ?? throw TelegramApiError.BadRequest(error!);
        }
        else if (mode is null or "")
            text = raw.Trim();
        else
            throw TelegramApiError.BadRequest($"unsupported parse_mode {mode} in this simulator");
        if (text.Length == 0)
            throw TelegramApiError.BadRequest("message text is empty");
        if (text.Length > MaxText)
            throw TelegramApiError.BadRequest("message is too long");
        return (text, mode is null or "" ? null : raw);
    }

    private static List<TelegramButton> Buttons(JsonObject args)
    {
        if (Node(args, "reply_markup")?["inline_keyboard"] is not JsonArray rows)
            return [];
        var buttons = new List<TelegramButton>();
        foreach (var button in rows.OfType<JsonArray>().SelectMany(row => row).OfType<JsonObject>())
        {
            var data = (string?)button["callback_data"] ?? "";
            if (Encoding.UTF8.GetByteCount(data) is 0 or > 64)
                throw TelegramApiError.BadRequest("BUTTON_DATA_INVALID");
            buttons.Add(new TelegramButton((string?)button["text"] ?? "", data, (string?)button["style"]));
        }
        return buttons;
    }

    // As Telegram turns them into text_mention and mention entities: a link to tg://user?id=, or @username as shown.
    private List<long> MentionsIn(string text, string? html)
    {
        var ids = html is null ? [] : TextMention().Matches(html).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        foreach (Match m in UsernameMention().Matches(text))
        {
            if (_users.Values.FirstOrDefault(u => string.Equals(u.Username, m.Groups[1].Value, StringComparison.OrdinalIgnoreCase)) is { } user)
                ids.Add(user.Id);
        }
        return ids.Distinct().ToList();
    }

    [GeneratedRegex(@"href=""tg://user\?id=(\d+)""")]
    private static partial Regex TextMention();

    [GeneratedRegex(@"(?<![\w@])@([A-Za-z0-9_]{5,32})")]
    private static partial Regex UsernameMention();

    private TelegramMessage Store(TelegramMessage message) => _messages[(message.ChatId, message.Id)] = message;

    private int NextMessageId(long chatId) => _lastMessageId[chatId] = _lastMessageId.GetValueOrDefault(chatId) + 1;

    private TelegramChat Chat(long id)
    {
        if (!_chats.TryGetValue(id, out var chat))
            _chats[id] = chat = new TelegramChat(id, id < 0 ? "supergroup" : "private", id < 0 ? "Releases" : null);
        return chat;
    }

    private TelegramUser User(long id) => _users.TryGetValue(id, out var user) ? user : _users[id] = new TelegramUser(id, $"User {id}", $"user{id}");

    private JsonObject MessageJson(TelegramMessage m)
    {
        var json = new JsonObject
        {
            ["message_id"] = m.Id,
            ["from"] = UserJson(User(m.FromId)),
            ["chat"] = ChatJson(Chat(m.ChatId)),
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["text"] = m.Text,
        };
        if (m.ThreadId is { } thread)
        {
            json["message_thread_id"] = thread;
            json["is_topic_message"] = true;
        }
        if (m.Buttons.Count > 0)
        {
            var row = new JsonArray([.. m.Buttons.Select(b => new JsonObject { ["text"] = b.Text, ["callback_data"] = b.CallbackData })]);
            json["reply_markup"] = new JsonObject { ["inline_keyboard"] = new JsonArray(row) };
        }
        return json;
    }

    private static JsonObject UserJson(TelegramUser u)
    {
        var json = new JsonObject { ["id"] = u.Id, ["is_bot"] = u.IsBot, ["first_name"] = u.FirstName };
        if (u.Username is not null)
            json["username"] = u.Username;
        return json;
    }

    private static JsonObject ChatJson(TelegramChat c)
    {
        var json = new JsonObject { ["id"] = c.Id, ["type"] = c.Type };
        if (c.Title is not null)
            json["title"] = c.Title;
        return json;
    }

    [GeneratedRegex("^[a-z0-9_]{1,32}$")]
    private static partial Regex CommandName();
}
