using System.Text.Json.Nodes;
using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Host.Chat;

namespace ChatOps.Host.Slack;

/// <summary>A release card as Block Kit, with its notification fallback text.</summary>
public sealed record SlackCard(string Text, JsonArray Blocks) : ICardContent<SlackCard>
{
    private readonly string _json = Blocks.ToJsonString();

    // Updates compare on this, so an unchanged card costs no chat.update.
    public bool SameAs(SlackCard? other) => other is not null && Text == other.Text && _json == other._json;

    public SlackMessage Message(string channel, string? ts = null) => new(channel, Text, Blocks, ts);
}

public static class SlackCardView
{
    // Section text allows 3000 characters; the fallback text is kept well under Slack's 4000.
    public const int MaxSectionText = 3000;

    public static SlackCard Render(ReleaseCard card)
    {
        var blocks = new JsonArray
        {
            Section($"*{Escape(card.Title)}*"),
            Section(string.Join('\n', card.Lines.Select(Line))),
        };
        if (card.Details.Count > 0)
            blocks.Add(new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray { Mrkdwn(SlackTimes.Write(Trim(string.Join('\n', card.Details.Select(Escape)), MaxSectionText))) },
            });
        if (card.Links is { Count: > 0 } links)
            blocks.Add(new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray { Mrkdwn(Trim(string.Join(" · ", links.Select(Link)), MaxSectionText)) },
            });
        blocks.Add(Section(SlackTimes.Write(Escape(card.Summary))));
        if (card.Buttons.Count > 0)
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["block_id"] = $"release-{card.ReleaseId}",
                ["elements"] = new JsonArray([.. card.Buttons.Select(Button)]),
            });
        return new SlackCard(SlackTimes.Write(Trim(Escape($"{card.Title}: {card.Summary}"), MaxSectionText)), blocks);
    }

    // Whatever we insert (tags, commit messages, error output) must not be read as a mention or a link.
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    public static string Trim(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max / 4), " … ", text.AsSpan(text.Length - (max - max / 4 - 3)));

    /// <summary>
    /// A plain reply (command answers): escaped, and several lines kept aligned in a code block, unless they show
    /// moments: Slack formats no markup inside a code block, so those are sent as lines that show each reader's zone.
    /// </summary>
    public static string Plain(string text)
    {
        var escaped = Trim(Escape(text), MaxSectionText);
        if (ChatTime.HasMoment(escaped))
            return SlackTimes.Write(escaped);
        return escaped.Contains('\n', StringComparison.Ordinal) ? $"```{escaped}```" : escaped;
    }

    // Slack's link markup: the address escaped like any text, and a '|' in it would end it early.
    private static string Link(CardLink link) =>
        $"<{Escape(link.Url).Replace("|", "%7C", StringComparison.Ordinal)}|{Escape(link.Text)}>";

    private static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = Mrkdwn(Trim(mrkdwn.Length == 0 ? " " : mrkdwn, MaxSectionText)),
    };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static JsonObject PlainText(string text, int max) => new() { ["type"] = "plain_text", ["text"] = Trim(text, max) };

    private static string Line(CardLine line)
    {
        var (symbol, state) = CardLineText.Status(line);
        var text = $"{symbol} *{Escape(line.Step)}* {state.TrimEnd()}";
        return line.Detail.Length > 0 && line.Status != StepStatus.Pending ? $"{text} · {Escape(Trim(line.Detail, 300))}" : text;
    }

    public static JsonObject Button(CardButton button)
    {
        var json = new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = button.Action.ToString().ToLowerInvariant(),
            ["text"] = PlainText(button.Label, 75),
            // The opaque token: looked up in the store on every click, so a forged value does nothing.
            ["value"] = button.Token,
        };
        if (button.Style != ButtonStyle.Default)
            json["style"] = button.Style == ButtonStyle.Primary ? "primary" : "danger";
        // No confirm dialog here: Roll back asks for a second press in a message of its own, as on every chat.
        return json;
    }
}
