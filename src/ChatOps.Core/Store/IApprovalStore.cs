namespace ChatOps.Core.Store;

/// <summary>Opaque button tokens (Telegram allows 64 bytes of callback data), looked up on every press.</summary>
public interface IApprovalStore
{
    Task IssueAsync(ActionToken token, CancellationToken cancellationToken);

    Task<ActionToken?> FindAsync(string token, CancellationToken cancellationToken);

    Task<IReadOnlyList<ActionToken>> OpenAsync(long releaseId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Marks the token used and voids the other tokens of its gate; false if it was already used.</summary>
    Task<bool> UseAsync(string token, string user, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Voids every open token of a release (it finished, or its gate was replaced).</summary>
    Task VoidAsync(long releaseId, string? gate, DateTimeOffset at, CancellationToken cancellationToken);
}

public enum CardAction
{
    Approve,
    Reject,
    Cancel,
    Rollback,
    /// <summary>The second press that a rollback asks for: it cannot be undone.</summary>
    ConfirmRollback,
    /// <summary>The second press that /unlock --force asks for: it lifts a freeze someone else put there for a reason.</summary>
    ConfirmUnlock,
    /// <summary>During a bake: the release is bad, whatever the figures say; the bake fails (and rolls back with AutoRollback).</summary>
    MarkFaulty,
    /// <summary>After a bake that could not judge: the release is accepted as it is (a /resume).</summary>
    Accept,
}

public sealed record ActionToken(
    string Token,
    long ReleaseId,
    CardAction Action,
    string Gate,
    string? PlanHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? UsedAt = null,
    string? UsedBy = null)
{
    public bool IsOpen(DateTimeOffset now) => UsedAt is null && now < ExpiresAt;
}
