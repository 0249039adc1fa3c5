using System.Globalization;
using ChatOps.Core.Cards;
using ChatOps.Core.Domain;

namespace ChatOps.Host.Telegram;

/// <summary>A notice as Telegram HTML: each person called by @username, or by a text mention with their name.</summary>
public static class TelegramNoticeView
{
    public static string Html(Notice notice, People people)
    {
        var mentions = string.Join(", ", notice.Mentions.Select(m => Mention(m, people)));
        var text = TelegramCardView.Escape(notice.Text);
        return mentions.Length == 0 ? text : $"{mentions}\n{text}";
    }

    // A @username notifies anyone in the chat; a tg://user link notifies by id when the username is unknown.
    public static string Mention(ChatUser user, People people)
    {
        var person = people.Find(user);
        if (person?.Handle is { } handle)
            return "@" + TelegramCardView.Escape(handle);
        var id = user.Id[(user.Platform.Length + 1)..];
        if (user.Platform != TelegramSurface.PlatformName || !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            return TelegramCardView.Escape(user.Id);
        return $"<a href=\"tg://user?id={id}\">{TelegramCardView.Escape(person?.Name ?? $"user {id}")}</a>";
    }
}
