namespace ChatOps.Core.Bake;

/// <summary>What the bake does after an evaluation.</summary>
public enum BakeMove
{
    /// <summary>Evaluate again at <see cref="BakeNext.WakeAt"/>; the release stays in its bake.</summary>
    Wait,

    /// <summary>The window is over and every check passed: the release is Released.</summary>
    Pass,

    /// <summary>A check failed: roll back where AutoRollback says so, else call the approvers.</summary>
    Fail,

    /// <summary>The window is over and the figures judge nothing: the approvers accept or roll back, the release waits.</summary>
    Ask,
}

public sealed record BakeNext(BakeMove Move, DateTimeOffset? WakeAt, string Message);

/// <summary>
/// The bake's decision after each evaluation, pure: a failure ends it at once (the evidence will not get better by
/// waiting); a pass or an open verdict before the deadline waits for the next interval; at the deadline a pass releases
/// and anything unjudged asks a person, since inconclusive is never a pass.
/// </summary>
public static class BakeWatch
{
    public static BakeNext After(BakeRecord bake, BakeReport report, DateTimeOffset now, TimeSpan interval)
    {
        var window = bake.WindowAt(now);
        if (report.Verdict == BakeVerdict.Failed)
            return new(BakeMove.Fail, null, $"Bake failed after {window.Text}: {report.Reason}");
        if (now < bake.Deadline)
            return new(BakeMove.Wait, bake.With(report, now).DueAt(interval), Progress(bake, report, now));
        return report.Verdict == BakeVerdict.Passed
            ? new(BakeMove.Pass, null, $"Bake passed: {bake.Duration.TotalMinutes:0} min watched. {string.Join(" ", report.Figures)}".TrimEnd())
            : new(BakeMove.Ask, null, $"The bake cannot judge this release: {report.Reason}. Accept it, or roll it back.");
    }

    /// <summary>The card's bake line: time left, then the latest figures.</summary>
    public static string Progress(BakeRecord bake, BakeReport report, DateTimeOffset now) =>
        $"{Left(bake.Left(now))} left of {BakeText.Duration(bake.Duration)}" + (report.Figures.Count > 0 ? " · " + string.Join(" · ", report.Figures) : "");

    // Whole minutes, rounded up: "8 min left" reads better at 3 a.m. than "7 min 12 s left".
    private static string Left(TimeSpan left) =>
        left >= TimeSpan.FromMinutes(1) ? $"{Math.Ceiling(left.TotalMinutes):0} min" : $"{Math.Ceiling(left.TotalSeconds):0} s";
}
