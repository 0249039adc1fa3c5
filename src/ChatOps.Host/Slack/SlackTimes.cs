using ChatOps.Core.Domain;


namespace ChatOps.Host.Slack;

/// <summary>
/// Slack shows a <c>&lt;!date^…&gt;</c> in each reader's own zone ("today 4:30 AM"); clients that cannot show it show
/// the fallback, which is the moment as the core wrote it, with its zone.
/// </summary>
public static class SlackTimes
{
    /// <summary>Rewrites the moments of an escaped text; a text that would grow past <paramref name="max"/> keeps them as written.</summary>
    public static string Write(string escaped, int max = SlackCardView.MaxSectionText)
    {
        var written = ChatTime.Rewrite(escaped, (at, seconds, fallback) =>
            $"<!date^{at.ToUnixTimeSeconds()}^{{date_short_pretty}} {(seconds ? "{time_secs}" : "{time}")}|{fallback}>");
        return written.Length <= max ? written : escaped;
    }
}
