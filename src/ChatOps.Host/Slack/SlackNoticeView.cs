using System.Text.Json.Nodes;
using ChatOps.Core.Cards;
using ChatOps.Core.Domain;

namespace ChatOps.Host.Slack;

/// <summary>A notice as a Slack message: each person called with <c>&lt;@U…&gt;</c>, which Slack shows as their name and notifies.</summary>
public static class SlackNoticeView
{
    public static SlackMessage Message(string channel, Notice notice)
    {
        var mentions = string.Join(", ", notice.Mentions.Select(Mention));
        var body = SlackTimes.Write(SlackCardView.Trim(SlackCardView.Escape(notice.Text), SlackCardView.MaxSectionText - 200), SlackCardView.MaxSectionText - 200);
        var text = mentions.Length == 0 ? body : $"{mentions}\n{body}";
        if (notice.Buttons.Count == 0)
            return new SlackMessage(channel, text);
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text } },
            new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray([.. notice.Buttons.Select(SlackCardView.Button)]) },
        };
        return new SlackMessage(channel, text, blocks);
    }

    public static string Mention(ChatUser user)
    {
        var id = user.Id[(user.Platform.Length + 1)..];
        // Slack user ids are upper-case letters and digits; anything else is written out, never sent as markup.
        return user.Platform == SlackSurface.PlatformName && id.Length > 0 && id.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c))
            ? $"<@{id}>"
            : SlackCardView.Escape(user.Id);
    }
}
