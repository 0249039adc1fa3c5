using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatOps.Core.Domain;

/// <summary>
/// Every moment a message shows is written here, in one form with its zone: "2026-12-01 03:30 UTC", with seconds where
/// they matter. Telegram and the console show it as written. A chat that can show a time in each reader's own zone
/// (Slack) finds the moments with <see cref="Rewrite"/> and writes each in its own markup, keeping this form as the
/// fallback; so the core knows no chat's markup, and a text that reaches a chat unrewritten still reads right.
/// </summary>
public static class ChatTime
{
    private const string MinuteFormat = "yyyy-MM-dd HH:mm";
    private const string SecondFormat = "yyyy-MM-dd HH:mm:ss";

    private static readonly Regex Moment = new(@"\b(\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?) UTC\b",
        RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    public static string Minute(DateTimeOffset at) => at.ToUniversalTime().ToString(MinuteFormat, CultureInfo.InvariantCulture) + " UTC";

    public static string Second(DateTimeOffset at) => at.ToUniversalTime().ToString(SecondFormat, CultureInfo.InvariantCulture) + " UTC";

    public static bool HasMoment(string text) => Moment.IsMatch(text);

    /// <summary>Replaces each moment written by <see cref="Minute"/> or <see cref="Second"/>; <c>write</c> gets the moment, whether it has seconds, and the text as written.</summary>
    public static string Rewrite(string text, Func<DateTimeOffset, bool, string, string> write) =>
        Moment.Replace(text, match =>
        {
            var written = match.Groups[1].Value;
            var seconds = written.Length == SecondFormat.Length;
            return DateTimeOffset.TryParseExact(written, seconds ? SecondFormat : MinuteFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                ? write(at, seconds, match.Value)
                : match.Value;
        });
}
