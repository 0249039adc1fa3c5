using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ChatOps.Host.Telegram;

/// <summary>A command as Telegram marks it: a <c>bot_command</c> entity at the start, maybe addressed <c>@to_a_bot</c>.</summary>
public sealed record TelegramCommandText(string Command, string? Addressee, string Arguments)
{
    /// <summary>The text the command parser reads: the command without its <c>@bot</c> suffix, then the arguments.</summary>
    public string Text => Arguments.Length == 0 ? Command : $"{Command} {Arguments}";

    public bool IsFor(string botUsername) =>
        Addressee is null || string.Equals(Addressee, botUsername, StringComparison.OrdinalIgnoreCase);

    /// <summary>Null for anything that is not a command: chatter in a group the bot reads is none of its business.</summary>
    public static TelegramCommandText? From(string? text, IEnumerable<MessageEntity>? entities)
    {
        // Entity offsets count UTF-16 code units, as .NET strings do.
        var entity = entities?.FirstOrDefault(e => e.Type == MessageEntityType.BotCommand && e.Offset == 0);
        if (text is null || entity is null || entity.Length < 2 || entity.Length > text.Length)
            return null;
        var command = text[..entity.Length];
        var rest = text[entity.Length..].Trim();
        var at = command.IndexOf('@', StringComparison.Ordinal);
        return at < 0
            ? new TelegramCommandText(command, null, rest)
            : new TelegramCommandText(command[..at], command[(at + 1)..], rest);
    }
}
