using System.Text;
using ChatOps.Core.Cards;
using ChatOps.Core.Releases;

namespace ChatOps.Host.Console;

/// <summary>Draws a release card as plain text: one line per step, details, summary, numbered buttons.</summary>
public static class ConsoleCardView
{
    public static string Symbol(StepStatus status) => status switch
    {
        StepStatus.Running => "▶",
        StepStatus.Waiting => "⏸",
        StepStatus.Done => "✓",
        StepStatus.Skipped => "–",
        StepStatus.Failed => "✗",
        _ => "·",
    };

    public static string Line(CardLine line)
    {
        var state = line.Status switch
        {
            StepStatus.Running => $"running {line.Timing}",
            StepStatus.Waiting => "waiting",
            StepStatus.Done => $"done {line.Timing}",
            StepStatus.Skipped => "skipped",
            StepStatus.Failed => $"failed {line.Timing}",
            _ => "pending",
        };
        var detail = line.Detail.Length > 0 && line.Status != StepStatus.Pending ? $"  {line.Detail}" : "";
        return $"{Symbol(line.Status)} {line.Step,-16}{state,-15}{detail}".TrimEnd();
    }

    public static string Render(ReleaseCard card)
    {
        var text = new StringBuilder();
        text.Append("┌ ").Append(card.Title).Append('\n');
        foreach (var line in card.Lines)
            text.Append("│ ").Append(Line(line)).Append('\n');
        foreach (var detail in card.Details)
            text.Append("│ ").Append(detail).Append('\n');
        foreach (var link in card.Links ?? [])
            text.Append("│ ↗ ").Append(link.Text).Append(" (").Append(link.Url).Append(")\n");
        text.Append("└ ").Append(card.Summary).Append('\n');
        if (card.Buttons.Count > 0)
            text.Append("  ").Append(string.Join("  ", card.Buttons.Select((b, i) => $"[{i + 1}] {b.Label}"))).Append('\n');
        return text.ToString();
    }

    /// <summary>Whether a card is worth drawing whole: a gate, an end, or buttons that changed.</summary>
    public static bool IsMilestone(ReleaseCard card, ReleaseCard? previous) =>
        previous is null
        || card.State != previous.State && (card.IsFinal || card.State is ReleaseState.NeedsAttention)
        || !card.Buttons.Select(b => b.Token).SequenceEqual(previous.Buttons.Select(b => b.Token)) && card.Buttons.Count > 0;
}
