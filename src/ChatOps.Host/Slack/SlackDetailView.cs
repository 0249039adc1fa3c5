using ChatOps.Core.Cards;


namespace ChatOps.Host.Slack;

/// <summary>A step's detail as lines of its card's thread: the step in bold, what it said, a console in a code block.</summary>
public static class SlackDetailView
{
    private const int MaxText = 900;
    private const int MaxOutput = 1800;

    public static string Line(StepDetail detail)
    {
        var line = $"{(detail.IsError ? "❌ " : "")}*{SlackCardView.Escape(detail.Step)}* {SlackCardView.Escape(SlackCardView.Trim(detail.Text, MaxText))}";
        // Trimmed before the fences go round it, so a long console never loses its closing fence.
        return detail.Output is { Length: > 0 } output
            ? $"{line}\n```{SlackCardView.Escape(SlackCardView.Trim(output.Replace("```", "'''", StringComparison.Ordinal), MaxOutput))}```"
            : line;
    }
}
