using System.Text.Json.Serialization;
using ChatOps.Core.Domain;
using ChatOps.Core.Steps;

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
    /// <summary>Requested in a one-to-one chat with the bot: its card is there, where no approver sees it.</summary>
    public bool PrivateChat { get; set; }
    public string? CardMessageId { get; set; }
    public ReleaseState State { get; set; }
    /// <summary>For Failed and NeedsAttention: the step that stopped.</summary>
    public ReleaseState? StoppedAt { get; set; }
    public string? Error { get; set; }
    public bool WithDatabase { get; set; }
    public long? RollbackOf { get; set; }
    /// <summary>Who cancelled it, once cancelled.</summary>
    public string? CancelRequestedBy { get; set; }

    /// <summary>A stop asked for while a step ran; kept beside the record by the store, never inside it.</summary>
    [JsonIgnore]
    public StopRequest? StopRequest { get; set; }
    public string BotVersion { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<StepRecord> Steps { get; set; } = [];
    public ReleaseOutputs Outputs { get; set; } = new();

    public ChatUser RequestedBy => new(Requester);

    public bool IsActive => !Runbook.IsFinished(State);

    /// <summary>
    /// True once Migrate or Deploy has begun: production is no longer as it was. A skipped step (no migrations
    /// configured, or none pending) ran nothing, so it changed nothing.
    /// </summary>
    public bool ChangedProduction =>
        Steps.Any(s => s.Status is not (StepStatus.Pending or StepStatus.Skipped) && Runbook.ProductionChanging.Contains(s.Name));

    /// <summary>True once this release or rollback has begun to change what runs in its environment.</summary>
    public bool ChangedEnvironment =>
        ChangedProduction || (Kind == ReleaseKind.Rollback && Steps.Any(s => s.Status != StepStatus.Pending && s.Name is ChatOps.Core.Steps.RollbackSteps.Restore or ChatOps.Core.Steps.RollbackSteps.Redeploy));

    /// <summary>Reached Released and was not rolled back since (by a rollback that finished).</summary>
    public bool IsGoodIn(IReadOnlyList<Release> history) =>
        Kind == ReleaseKind.Release && State == ReleaseState.Released && RolledBackBy(history) is null;

    /// <summary>
    /// The first finished rollback since this release that took it away: one that undid it, started from its tag, or
    /// went back to a release older than it. A release a rollback went back past was left deliberately by an operator,
    /// so nothing later goes back to it or promotes it.
    /// </summary>
    public Release? RolledBackBy(IReadOnlyList<Release> history) =>
        history.Where(r => r.Kind == ReleaseKind.Rollback && r.State == ReleaseState.RolledBack && r.Id > Id
                && (r.Id == Outputs.RollbackReleaseId || r.RollbackOf == Id || r.PreviousTag == Tag
                    || r.Outputs.RollbackTargetReleaseId is { } target && target < Id))
            .OrderBy(r => r.Id).FirstOrDefault();

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

public enum StopIntent
{
    Cancel,
    RollBack,
    RollBackWithDatabase,
}

/// <summary>Someone asked to stop the release while a step ran: to cancel it, or to roll back what it moved; and when, where the store kept it.</summary>
public sealed record StopRequest(string By, StopIntent Intent, DateTimeOffset? At = null)
{
    public bool RollsBack => Intent != StopIntent.Cancel;
}
