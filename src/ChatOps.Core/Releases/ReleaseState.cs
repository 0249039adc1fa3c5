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
    Bake,
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
