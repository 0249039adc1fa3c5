using System.Globalization;

namespace ChatOps.Core.Bake;

/// <summary>
/// The new release's window, from the bake's start to now, and the window of the same length that ended when the deploy
/// started: the baseline. Both are judged at whole seconds, the resolution a PromQL range has.
/// </summary>
public sealed record BakeWindow(DateTimeOffset DeployStartedAt, DateTimeOffset BakeStartedAt, DateTimeOffset Now)
{
    public TimeSpan Length => TimeSpan.FromSeconds(Math.Max(1, Math.Floor((Now - BakeStartedAt).TotalSeconds)));

    /// <summary>The window as a PromQL range, <c>600s</c>.</summary>
    public string Range => ((long)Length.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";

    /// <summary>For people: <c>10 min</c>, <c>45 s</c>.</summary>
    public string Text => BakeText.Duration(Length);
}
