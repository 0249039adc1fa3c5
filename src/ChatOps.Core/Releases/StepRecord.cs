namespace ChatOps.Core.Releases;

public enum StepStatus
{
    Pending,
    Running,
    Waiting,
    Done,
    Skipped,
    Failed,
}

/// <summary>What one step did: shown on the card, kept in the record, and read back after a restart.</summary>
public sealed class StepRecord
{
    public string Name { get; set; } = "";
    public StepStatus Status { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string Detail { get; set; } = "";
    public int Attempts { get; set; }

    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;
}
