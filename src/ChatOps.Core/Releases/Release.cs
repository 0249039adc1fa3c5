using ChatOps.Core.Domain;

namespace ChatOps.Core.Releases;

/// <summary>The persisted record of one release or rollback: its state, its steps and what they did.</summary>
public sealed class Release
{
    public long Id { get; set; }
    public ReleaseKind Kind { get; set; }
    public string Environment { get; set; } = "";
    public string Tag { get; set; } = "";
    public string? PreviousTag { get; set; }
    public string Requester { get; set; } = "";
    public ChatChannel? Channel { get; set; }
    public string? CardMessageId { get; set; }
    public ReleaseState State { get; set; }
    /// <summary>For Failed and NeedsAttention: the step that stopped.</summary>
    public ReleaseState? StoppedAt { get; set; }
    public string? Error { get; set; }
    public bool WithDatabase { get; set; }
    public long? RollbackOf { get; set; }
    public string? CancelRequestedBy { get; set; }
    public string BotVersion { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<StepRecord> Steps { get; set; } = [];
    public ReleaseOutputs Outputs { get; set; } = new();

    public ChatUser RequestedBy => new(Requester);

    public bool IsActive => !Runbook.IsFinished(State);

    /// <summary>True once Migrate or Deploy has begun: production is no longer as it was.</summary>
    public bool ChangedProduction =>
        Steps.Any(s => s.Status != StepStatus.Pending && s.Name is nameof(ReleaseState.Migrate) or nameof(ReleaseState.Deploy));

    public StepRecord Step(string name)
    {
        var step = Steps.FirstOrDefault(s => s.Name == name);
        if (step is null)
        {
            step = new StepRecord { Name = name };
            Steps.Add(step);
        }
        return step;
    }

    public string Title => Kind == ReleaseKind.Release
        ? $"Release #{Id} {Tag} → {Environment}"
        : $"Rollback #{Id} {Environment} → {Tag}";
}
