using ChatOps.Core.Steps;

namespace ChatOps.Core.Releases;

/// <summary>
/// The runbook (shared/runbook/release-cut-and-rollback.md) as one table: every step of a release and of a
/// rollback, in order, with its rules. The state machine is configured from these rows, the card draws its
/// lines from them, and the runner asks them what to run and what to do after a crash. Nothing else in the
/// code lists the steps.
/// </summary>
public static class Runbook
{
    /// <summary>The release, top to bottom. Success moves to the next row; after the last, the release is Released.</summary>
    public static readonly IReadOnlyList<RunbookStep> Release =
    [
        //   state                       what runs               kind              cancellable   after a crash
        new(ReleaseState.Preflight,     new PreflightStep(),    StepKind.Work,    Cancellable,  AfterCrash.RunAgain),
        new(ReleaseState.Tag,           new TagStep(),          StepKind.Work,    Cancellable,  AfterCrash.RunAgain),
        new(ReleaseState.Backup,        new BackupStep(),       StepKind.Work,    Cancellable,  AfterCrash.RunAgain),
        new(ReleaseState.AwaitApproval, new ApprovalGateStep(), StepKind.Gate,    Cancellable,  AfterCrash.RunAgain),
        // The point of no return: from here production changes, and a problem is answered by /rollback.
        new(ReleaseState.Migrate,       new MigrateStep(),      StepKind.Work,    NoReturn,     AfterCrash.AskHuman)   { ChangesProduction = true },
        new(ReleaseState.VerifySchema,  new VerifySchemaStep(), StepKind.Work,    NoReturn,     AfterCrash.RunAgain),
        new(ReleaseState.Deploy,        new DeployStep(),       StepKind.Work,    NoReturn,     AfterCrash.RunAgain)   { ChangesProduction = true, StopsBetweenMachines = true },
        new(ReleaseState.Verify,        new VerifyStep(),       StepKind.Work,    NoReturn,     AfterCrash.RunAgain)   { ChecksServices = true },
        new(ReleaseState.Smoke,         new SmokeStep(),        StepKind.Work,    NoReturn,     AfterCrash.RunAgain)   { ChecksServices = true },
        new(ReleaseState.Observe,       new ObserveStep(),      StepKind.Work,    NoReturn,     AfterCrash.RunAgain),
        // Watched under real traffic for Bake:Duration, resting between evaluations; a failure is answered like Verify's.
        new(ReleaseState.Bake,          new BakeStep(),         StepKind.Watch,   NoReturn,     AfterCrash.RunAgain)   { ChecksServices = true },
        // Verified and smoke-tested by now: documentation that fails is noted on a released release, never a reason to roll back.
        new(ReleaseState.Document,      new DocumentStep(),     StepKind.Work,    NoReturn,     AfterCrash.RunAgain)   { Paperwork = true },
    ];

    /// <summary>
    /// The rollback: an approval only when it restores the database, then one state, RollingBack, whose step
    /// runs its parts in order (each part is a line on the card and records itself, so a resume skips what is done).
    /// </summary>
    public static readonly IReadOnlyList<RunbookStep> Rollback =
    [
        new(ReleaseState.AwaitApproval, new ApprovalGateStep(), StepKind.Gate,    Cancellable,  AfterCrash.RunAgain)   { OnlyWithDatabase = true },
        new(ReleaseState.RollingBack,   new RollbackSteps(),    StepKind.Work,    NoReturn,     AfterCrash.RunAgain)   { OnCard = false },
        new(ReleaseState.RollingBack,   null,                   StepKind.Part,    NoReturn,     AfterCrash.AskHuman)   { Name = RollbackSteps.Restore, OnlyWithDatabase = true },
        new(ReleaseState.RollingBack,   null,                   StepKind.Part,    NoReturn,     AfterCrash.RunAgain)   { Name = RollbackSteps.Redeploy },
        new(ReleaseState.RollingBack,   null,                   StepKind.Part,    NoReturn,     AfterCrash.RunAgain)   { Name = RollbackSteps.Verify },
    ];

    private const bool Cancellable = true;
    private const bool NoReturn = false;

    /// <summary>Where every release and rollback begins; it can always be cancelled, and so can one that needs attention.</summary>
    public const ReleaseState Start = ReleaseState.Requested;

    /// <summary>The ends: nothing more runs.</summary>
    public static readonly IReadOnlySet<ReleaseState> Ends = new HashSet<ReleaseState>
    {
        ReleaseState.Released, ReleaseState.Failed, ReleaseState.Cancelled, ReleaseState.RolledBack, ReleaseState.RollbackFailed,
    };

    public static IReadOnlyList<RunbookStep> For(ReleaseKind kind) => kind == ReleaseKind.Release ? Release : Rollback;

    /// <summary>The rows that apply to this release (a rollback without a restore has no approval and no restore).</summary>
    public static IEnumerable<RunbookStep> RowsOf(Release release) =>
        For(release.Kind).Where(row => !row.OnlyWithDatabase || release.WithDatabase);

    /// <summary>The lines of the release's card, in runbook order.</summary>
    public static IReadOnlyList<string> CardLines(Release release) =>
        RowsOf(release).Where(row => row.OnCard).Select(row => row.Name).ToList();

    /// <summary>The row whose step runs in this state, if any (a gate's step runs once to open the gate).</summary>
    public static RunbookStep? StepOf(Release release) =>
        RowsOf(release).FirstOrDefault(row => row.State == release.State && row.Step is not null);

    public static bool IsFinished(ReleaseState state) => Ends.Contains(state);

    /// <summary>The release's steps that change production, by name.</summary>
    public static readonly IReadOnlySet<string> ProductionChanging = Release.Where(row => row.ChangesProduction).Select(row => row.Name).ToHashSet();

    /// <summary>Whether the release step of this state checks the running services.</summary>
    public static bool ChecksServices(ReleaseState state) => Release.Any(row => row.State == state && row.ChecksServices);

    /// <summary>The approval gate's step: its record and its card line carry this name.</summary>
    public const string ApprovalStep = nameof(ReleaseState.AwaitApproval);

    /// <summary>A step's name as people read it on cards and in replies.</summary>
    public static string Label(string step) => step switch
    {
        ApprovalStep => "Approval",
        nameof(ReleaseState.VerifySchema) => "Verify schema",
        nameof(ReleaseState.RollingBack) => "Rolling back",
        _ => step,
    };

    /// <summary>The runbook in words, for /plan: each step in order with what a person needs to know about it.</summary>
    public static string Describe()
    {
        var text = new System.Text.StringBuilder("A release, step by step:\n");
        var n = 0;
        foreach (var row in Release)
        {
            if (!row.Cancellable && Release.TakeWhile(r => r != row).All(r => r.Cancellable))
                text.Append("  — point of no return: from here /cancel is refused and /rollback stops the release at a safe point —\n");
            text.Append($"  {++n}. {row.Name}{Notes(row)}\n");
        }
        text.Append("A rollback: approval (only with --with-db), then ");
        text.Append(string.Join(", ", Rollback.Where(r => r.Kind == StepKind.Part).Select(r => r.Name + (r.OnlyWithDatabase ? " (with --with-db)" : ""))));
        return text.Append(". The environment stays locked afterwards until /unlock.").ToString();
    }

    private static string Notes(RunbookStep row)
    {
        var notes = new List<string>();
        if (row.Kind == StepKind.Gate)
            notes.Add("waits for an approver (/approve, /reject; expires)");
        if (row.Kind == StepKind.Watch)
            notes.Add("watches the release under traffic for Bake:Duration, where the environment sets one");
        if (row.AfterCrash == AfterCrash.AskHuman)
            notes.Add("cut off by a crash, it stops for a human (/resume or /cancel)");
        if (row.ChangesProduction)
            notes.Add("changes production; does not start while the environment is locked");
        if (row.ChecksServices)
            notes.Add("checks the running services (a failure here can roll back by itself)");
        if (row.StopsBetweenMachines)
            notes.Add("/rollback stops it between two machines");
        if (row.Paperwork)
            notes.Add("a failure here is noted, the release stands");
        return notes.Count == 0 ? "" : " — " + string.Join("; ", notes);
    }

    /// <summary>The row whose failure is paperwork, if this release has one.</summary>
    public static RunbookStep? PaperworkOf(Release release) => RowsOf(release).FirstOrDefault(row => row.Paperwork);

    /// <summary>True when a step of this release may run now: a working state, or a gate not yet opened.</summary>
    public static bool HasWorkToDo(Release release)
    {
        if (release.State == Start)
            return true;
        if (StepOf(release) is not { } row)
            return false;
        return row.Kind == StepKind.Work
            || release.Steps.FirstOrDefault(s => s.Name == row.Name)?.Status is null or StepStatus.Pending or StepStatus.Running;
    }

    /// <summary>A watch resting between turns whose next turn is due: the sweep's wake runs it.</summary>
    public static bool IsWatchDue(Release release, DateTimeOffset now) =>
        StepOf(release) is { Kind: StepKind.Watch } row
        && release.Steps.FirstOrDefault(s => s.Name == row.Name) is { Status: StepStatus.Waiting, WakeAt: { } wakeAt }
        && wakeAt <= now;

    /// <summary>Before the point of no return: nothing in production has changed yet, so a cancel is clean.</summary>
    public static bool IsBeforePointOfNoReturn(Release release) =>
        release.State == Start || RowsOf(release).Any(row => row.State == release.State && row.Cancellable);

    /// <summary>Once a step of this state has started, production has changed and cancelling is no longer possible.</summary>
    public static bool IsPastPointOfNoReturn(Release release) =>
        RowsOf(release).Any(row => row.State == release.State && !row.Cancellable && row.Kind != StepKind.Part);

    /// <summary>
    /// After a crash: the step records still marked running were cut off. The first whose row asks for a human
    /// stops the release (its outside action may or may not have happened); the others are simply run again.
    /// </summary>
    public static StepRecord? CutOffNeedingAHuman(Release release)
    {
        var askHuman = RowsOf(release).Where(row => row.AfterCrash == AfterCrash.AskHuman).Select(row => row.Name).ToHashSet();
        return release.Steps.FirstOrDefault(s => s.Status == StepStatus.Running && askHuman.Contains(s.Name));
    }
}

public enum StepKind
{
    /// <summary>Does something and succeeds or fails.</summary>
    Work,

    /// <summary>Waits for a person: approve, reject, or let it expire.</summary>
    Gate,

    /// <summary>A part of the state's step, shown and recorded as a line of its own.</summary>
    Part,

    /// <summary>
    /// Watches for a while: each run is one turn (the step says when the next is due) and the release rests in between,
    /// woken by the sweep, so a watch of minutes holds no lease and no thread.
    /// </summary>
    Watch,
}

public enum AfterCrash
{
    /// <summary>Idempotent: the step finds its own earlier work and moves on.</summary>
    RunAgain,

    /// <summary>The step cannot tell whether its outside action happened: stop in NeedsAttention.</summary>
    AskHuman,
}

/// <summary>One row of the runbook.</summary>
public sealed record RunbookStep(ReleaseState State, IReleaseStep? Step, StepKind Kind, bool Cancellable, AfterCrash AfterCrash)
{
    /// <summary>The name of the step's record and card line.</summary>
    public string Name { get; init; } = State.ToString();

    public bool OnCard { get; init; } = true;

    /// <summary>Only for a rollback that restores the database.</summary>
    public bool OnlyWithDatabase { get; init; }

    /// <summary>
    /// Changes what runs (the schema, the machines): it does not start while the environment is locked, and once it has
    /// begun the release has changed production (a Roll back button, a failed change in the figures).
    /// </summary>
    public bool ChangesProduction { get; init; }

    /// <summary>Checks the running services: a failure here, after production changed, is what an auto-rollback answers.</summary>
    public bool ChecksServices { get; init; }

    /// <summary>A /rollback while it runs stops it between two machines rather than after the whole step.</summary>
    public bool StopsBetweenMachines { get; init; }

    /// <summary>Its failure is noted on the release, which still ends Released; /resume redoes it.</summary>
    public bool Paperwork { get; init; }
}
