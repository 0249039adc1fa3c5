namespace ChatOps.Core.Releases;

/// <summary>The states of DESIGN §3; a rollback uses Requested, AwaitApproval, RollingBack and its own ends.</summary>
public enum ReleaseState
{
    Requested,
    Preflight,
    Tag,
    Backup,
    AwaitApproval,
    Migrate,
    VerifySchema,
    Deploy,
    Verify,
    Smoke,
    Observe,
    Document,
    Released,
    Failed,
    Cancelled,
    NeedsAttention,
    RollingBack,
    RolledBack,
    RollbackFailed,
}

public enum ReleaseKind
{
    Release,
    Rollback,
}

public static class ReleaseStates
{
    /// <summary>States in which the runner has a step to run.</summary>
    public static readonly IReadOnlySet<ReleaseState> Working = new HashSet<ReleaseState>
    {
        ReleaseState.Requested, ReleaseState.Preflight, ReleaseState.Tag, ReleaseState.Backup, ReleaseState.Migrate,
        ReleaseState.VerifySchema, ReleaseState.Deploy, ReleaseState.Verify, ReleaseState.Smoke, ReleaseState.Observe,
        ReleaseState.Document, ReleaseState.RollingBack,
    };

    public static readonly IReadOnlySet<ReleaseState> Finished = new HashSet<ReleaseState>
    {
        ReleaseState.Released, ReleaseState.Failed, ReleaseState.Cancelled, ReleaseState.RolledBack, ReleaseState.RollbackFailed,
    };

    /// <summary>The release steps in runbook order, as shown on the card.</summary>
    public static readonly IReadOnlyList<ReleaseState> ReleaseSteps =
    [
        ReleaseState.Preflight, ReleaseState.Tag, ReleaseState.Backup, ReleaseState.AwaitApproval, ReleaseState.Migrate,
        ReleaseState.VerifySchema, ReleaseState.Deploy, ReleaseState.Verify, ReleaseState.Smoke, ReleaseState.Observe,
        ReleaseState.Document,
    ];

    /// <summary>Once a step here has started, production has changed and cancelling is no longer possible.</summary>
    public static bool IsPastPointOfNoReturn(ReleaseState step) =>
        step is ReleaseState.Migrate or ReleaseState.VerifySchema or ReleaseState.Deploy or ReleaseState.Verify
            or ReleaseState.Smoke or ReleaseState.Observe or ReleaseState.Document;

    public static bool IsActive(ReleaseState state) => !Finished.Contains(state);
}
