using System.Globalization;
using ChatOps.Core.Domain;
using Telegram.Bot.Types;

namespace ChatOps.Host.Telegram;

// A forum topic travels inside the chat address the core already keeps: "-1001234567890/42" is topic 42 of that
// supergroup, "-1001234567890" the chat itself (or a forum's General topic). So a release asked for in a topic keeps its
// card, replies and notices there, and the core never needs to know topics exist.
internal static class TelegramTopic
{
    public static ChatChannel Channel(long chatId, int? threadId) =>
        new(TelegramSurface.PlatformName, threadId is { } thread
            ? $"{chatId.ToString(CultureInfo.InvariantCulture)}/{thread.ToString(CultureInfo.InvariantCulture)}"
            : chatId.ToString(CultureInfo.InvariantCulture));

    // Only a topic message names its topic: in a group without topics, message_thread_id marks a reply thread, which is
    // no place of its own.
    public static int? ThreadOf(Message? message) => message is { IsTopicMessage: true, MessageThreadId: { } thread } ? thread : null;

    public static (long ChatId, int? ThreadId) Parse(ChatChannel channel)
    {
        var parts = channel.Id.Split('/');
        if (parts.Length <= 2 && long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var chatId))
        {
            if (parts.Length == 1)
                return (chatId, null);
            if (int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var thread))
                return (chatId, thread);
        }
        throw new ArgumentException($"'{channel.Id}' is not a Telegram chat id (or chat id/topic id)", nameof(channel));
    }
}
