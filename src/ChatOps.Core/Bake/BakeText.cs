using System.Globalization;

namespace ChatOps.Core.Bake;

/// <summary>How the bake's figures read on a card: <c>0.4 %</c>, <c>212 ms</c>, <c>1,842</c>, <c>10 min</c>.</summary>
public static class BakeText
{
    public const string Unknown = "n/a";

    public static string Percent(double? ratio) => ratio is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : Unknown;

    public static string Millis(double? seconds) => seconds is { } s ? (s * 1000).ToString("0", CultureInfo.InvariantCulture) + " ms" : Unknown;

    // increase() extrapolates, so a count may come back as 1841.7.
    public static string Count(double? count) => count is { } c ? Math.Round(c).ToString("N0", CultureInfo.InvariantCulture) : Unknown;

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) =>
        span >= TimeSpan.FromMinutes(1) && span.Seconds == 0 ? $"{(long)span.TotalMinutes} min"
        : span >= TimeSpan.FromMinutes(1) ? $"{(long)span.TotalMinutes} min {span.Seconds} s"
        : $"{(long)span.TotalSeconds} s";
}
