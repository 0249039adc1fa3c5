using ChatOps.Core.Domain;

namespace ChatOps.Core.Commands;

/// <summary>A command typed in any chat, parsed and valid; the same grammar on every platform.</summary>
public abstract record ChatCommand;

public sealed record ReleaseCommand(ReleaseTag Tag, string Environment, bool DryRun) : ChatCommand
{
    /// <summary>An approver's reason to release without the promotion rule; null keeps it.</summary>
    public string? SkipPromotion { get; init; }

    /// <summary>An approver's reason to release inside a freeze window; null keeps the freeze.</summary>
    public string? OverrideFreeze { get; init; }

    /// <summary>--hotfix: the fix of the environment's open incident, which an approver approves.</summary>
    public bool Hotfix { get; init; }
}

/// <summary>/promote: release to <see cref="To"/> what <see cref="From"/> released; unnamed environments come from PromoteFrom.</summary>
public sealed record PromoteCommand(ReleaseTag Tag, string? From, string? To, string? SkipPromotion) : ChatCommand
{
    public string? OverrideFreeze { get; init; }
}

public sealed record RollbackCommand(string Environment, ReleaseTag? To, bool WithDatabase) : ChatCommand
{
    /// <summary>Only say what the rollback would do and whether it is safe; change nothing.</summary>
    public bool Check { get; init; }
}

public sealed record ApproveCommand(long ReleaseId) : ChatCommand
{
    /// <summary>An approver's reason to approve inside a freeze window that opened while the release waited.</summary>
    public string? OverrideFreeze { get; init; }
}

public sealed record RejectCommand(long ReleaseId) : ChatCommand;

public sealed record CancelCommand(long? ReleaseId) : ChatCommand;

public sealed record ResumeCommand(long ReleaseId) : ChatCommand;

/// <summary>/bake: end a release's bake early with a reason: <see cref="Faulty"/> fails it (the Mark faulty button's words), else it passes.</summary>
public sealed record BakeCommand(long ReleaseId, string Reason, bool Faulty) : ChatCommand;

public sealed record StatusCommand(string Environment, long? ReleaseId) : ChatCommand;

public sealed record HistoryCommand(string Environment) : ChatCommand
{
    /// <summary>--stats: the four delivery figures over <see cref="Period"/> instead of the recent events.</summary>
    public bool Stats { get; init; }

    public TimeSpan Period { get; init; } = TimeSpan.FromDays(30);
}

/// <summary>/incident "title" [env] opens one, /incident resolved [env] ends it, /incident [env] shows it.</summary>
public sealed record IncidentCommand(string Environment, IncidentAction Action, string? Title = null) : ChatCommand;

public enum IncidentAction
{
    Show,
    Open,
    Resolve,
}

public sealed record LockCommand(string Environment, string Reason, TimeSpan? For) : ChatCommand;

public sealed record UnlockCommand(string Environment, bool Force) : ChatCommand;

public sealed record PlanCommand : ChatCommand;

public sealed record WhoAmICommand : ChatCommand;

/// <summary>/help alone lists the commands; with a <see cref="Topic"/>, one command's usage and examples.</summary>
public sealed record HelpCommand(string? Topic = null) : ChatCommand;

public sealed record DoctorCommand : ChatCommand;

/// <summary>Either a command, one clear refusal, or nothing (the text was not meant for this bot).</summary>
public sealed record ParseResult(ChatCommand? Command, string? Error)
{
    public static readonly ParseResult NotForUs = new(null, null);

    public bool IsIgnored => Command is null && Error is null;

    public static ParseResult Ok(ChatCommand command) => new(command, null);

    public static ParseResult Fail(string error) => new(null, error);
}
