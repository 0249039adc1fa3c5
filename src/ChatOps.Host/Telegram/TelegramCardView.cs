using System.Text;
using ChatOps.Core.Cards;
using ChatOps.Core.Releases;
using ChatOps.Host.ChatLanes;
using Telegram.Bot.Types.ReplyMarkups;

namespace ChatOps.Host.Telegram;

/// <summary>A release card as Telegram HTML plus its inline keyboard.</summary>
// ThreadId: the forum topic a card is posted in (an edit needs none: message ids are unique in the chat).
public sealed record TelegramCard(string Html, IReadOnlyList<CardButton> Buttons, int? ThreadId = null) : ICardContent<TelegramCard>
{
    public InlineKeyboardMarkup Keyboard => TelegramCardView.Keyboard(Buttons);

    // Edits compare on this: same text and same buttons would be refused as "message is not modified".
    public bool SameAs(TelegramCard? other) =>
        other is not null && Html == other.Html && Buttons.Select(b => (b.Label, b.Token)).SequenceEqual(other.Buttons.Select(b => (b.Label, b.Token)));
}

public static class TelegramCardView
{
    // Telegram's limit is 4096 characters after parsing; measuring the HTML source keeps a margin for free.
    public const int MaxLength = 4096;

    private const string Ellipsis = " … ";

    public static TelegramCard Render(ReleaseCard card)
    {
        // Shorter and shorter details until the card fits: long outputs keep their head and their tail.
        foreach (var cap in new[] { 600, 200, 60 })
        {
            var html = Build(card, card.Details.Select(d => Trim(d, cap)));
            if (html.Length <= MaxLength)
                return new TelegramCard(html, card.Buttons);
        }
        var minimal = Build(card, [$"{card.Details.Count} detail lines left out: /status {card.ReleaseId}"]);
        return new TelegramCard(minimal.Length <= MaxLength ? minimal : Escape(Trim(card.Title + "\n" + card.Summary, 3000)), card.Buttons);
    }

    // No buttons is an empty keyboard, not an empty row: on an edit that is what removes the old buttons.
    public static InlineKeyboardMarkup Keyboard(IReadOnlyList<CardButton> buttons) =>
        buttons.Count == 0
            ? new InlineKeyboardMarkup()
            : new InlineKeyboardMarkup(buttons.Select(b => new InlineKeyboardButton(b.Label) { CallbackData = b.Token, Style = Style(b.Style) }).ToArray());

    // The card's own text and everything it quotes (tags, commit messages, error output) is escaped.
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    public static string Trim(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max / 4), Ellipsis, text.AsSpan(text.Length - (max - max / 4 - Ellipsis.Length)));

    /// <summary>Plain text (replies, notices) cut to what one message holds.</summary>
    public static string Plain(string text) => Trim(text, MaxLength);

    private static string Build(ReleaseCard card, IEnumerable<string> details)
    {
        var html = new StringBuilder();
        html.Append("<b>").Append(Escape(card.Title)).Append("</b>\n\n");
        foreach (var line in card.Lines)
            html.Append(Line(line)).Append('\n');
        var detailLines = details.ToList();
        if (detailLines.Count > 0)
        {
            html.Append('\n');
            foreach (var detail in detailLines)
                html.Append("<i>").Append(Escape(detail)).Append("</i>\n");
        }
        if (card.Links is { Count: > 0 } links)
            html.Append('\n').Append(string.Join(" · ", links.Select(Link))).Append('\n');
        html.Append('\n').Append(Escape(card.Summary));
        return html.ToString();
    }

    private static string Link(CardLink link) =>
        $"<a href=\"{Escape(link.Url).Replace("\"", "&quot;", StringComparison.Ordinal)}\">{Escape(link.Text)}</a>";

    private static string Line(CardLine line)
    {
        var (symbol, state) = CardLineText.Status(line);
        var text = $"{symbol} <b>{Escape(line.Step)}</b> {Escape(state.TrimEnd())}";
        return line.Detail.Length > 0 && line.Status != StepStatus.Pending ? $"{text} · {Escape(Trim(line.Detail, 300))}" : text;
    }

    private static KeyboardButtonStyle? Style(ButtonStyle style) => style switch
    {
        ButtonStyle.Primary => KeyboardButtonStyle.Success,
        ButtonStyle.Danger => KeyboardButtonStyle.Danger,
        _ => null,
    };
}
