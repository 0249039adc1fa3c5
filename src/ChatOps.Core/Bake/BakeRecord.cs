namespace ChatOps.Core.Bake;

/// <summary>
/// A release's bake as stored with it: written once when the bake starts, so a bot that crashes and resumes keeps the
/// same deadline instead of starting the watch again. The latest figures and verdict ride along for the card.
/// </summary>
public sealed record BakeRecord(DateTimeOffset DeployStartedAt, DateTimeOffset StartedAt, DateTimeOffset Deadline)
{
    public DateTimeOffset? LastEvaluatedAt { get; init; }
    public BakeVerdict? LastVerdict { get; init; }
    public string LastReason { get; init; } = "";
    public IReadOnlyList<string> Figures { get; init; } = [];

    /// <summary>A person ended the bake early: skipped it (the release passes) or marked the release faulty (it fails).</summary>
    public BakeEnd? EndedEarly { get; init; }

    /// <summary>When the bake ended unable to judge and asked a person; a resume after it is their acceptance.</summary>
    public DateTimeOffset? AskedAt { get; init; }

    public static BakeRecord Start(DateTimeOffset deployStartedAt, DateTimeOffset now, TimeSpan duration) => new(deployStartedAt, now, now + duration);

    public TimeSpan Duration => Deadline - StartedAt;

    public TimeSpan Left(DateTimeOffset now) => now >= Deadline ? TimeSpan.Zero : Deadline - now;

    /// <summary>The window judged at <paramref name="now"/>: from the bake's start to now, never past the deadline.</summary>
    public BakeWindow WindowAt(DateTimeOffset now) => new(DeployStartedAt, StartedAt, now < Deadline ? now : Deadline);

    public BakeRecord With(BakeReport report, DateTimeOffset at) =>
        this with { LastEvaluatedAt = at, LastVerdict = report.Verdict, LastReason = report.Reason, Figures = report.Figures };

    /// <summary>
    /// When the next evaluation is due: an interval after the last (the first, an interval after the start: a window of
    /// no length judges nothing), the deadline at the latest.
    /// </summary>
    public DateTimeOffset DueAt(TimeSpan interval)
    {
        var next = (LastEvaluatedAt ?? StartedAt) + interval;
        return next < Deadline ? next : Deadline;
    }
}

/// <summary>Who ended a bake early, why, and whether as faulty.</summary>
public sealed record BakeEnd(string By, string Reason, bool Faulty);
