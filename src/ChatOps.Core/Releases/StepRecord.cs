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
    /// <summary>When the running step last said where it is; a step quiet for too long says so on the card.</summary>
    public DateTimeOffset? ProgressAt { get; set; }
    /// <summary>For a watch resting between turns: when its next turn is due (the sweep wakes it then).</summary>
    public DateTimeOffset? WakeAt { get; set; }

    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;
}
