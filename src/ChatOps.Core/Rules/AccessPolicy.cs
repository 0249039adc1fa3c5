using ChatOps.Core.Domain;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Rules;

/// <summary>Who may do what. Decisions only; the caller replies and audits.</summary>
public sealed class AccessPolicy(AccessSettings settings)
{
    private readonly HashSet<string> _releasers = new(settings.Releasers, StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _approvers = new(settings.Approvers, StringComparer.OrdinalIgnoreCase);

    public bool RequireDistinctApprover => settings.RequireDistinctApprover;

    /// <summary>
    /// The one way to ask "is this the same person": exact, as the platforms hand ids out. Roles are matched ignoring
    /// case (a config typo should not lock someone out), but four-eyes and ownership must never be fooled by casing.
    /// </summary>
    public static bool IsSamePerson(ChatUser user, string id) => string.Equals(user.Id, id, StringComparison.Ordinal);

    public bool IsReleaser(ChatUser user) => _releasers.Contains(user.Id);

    public bool IsApprover(ChatUser user) => _approvers.Contains(user.Id);

    /// <summary>Null when allowed, else the refusal to show.</summary>
    public string? CanRelease(ChatUser user) =>
        IsReleaser(user) ? null : $"{user} is not a releaser. Ask an admin to add it to ChatOps:Access:Releasers.";

    public string? CanApprove(ChatUser user, ChatUser requester)
    {
        if (!IsApprover(user))
            return $"{user} is not an approver. Ask an admin to add it to ChatOps:Access:Approvers.";
        if (RequireDistinctApprover && IsSamePerson(user, requester.Id))
            return "You requested this release; another approver must approve it (four-eyes rule).";
        return null;
    }

    /// <summary>
    /// Rejecting, cancelling or stopping a running release to roll it back undoes someone's change: its requester or an
    /// approver may do it, another releaser may not (they can ask an approver, or roll back once it has ended).
    /// </summary>
    public string? CanStop(ChatUser user, ChatUser requester) =>
        IsSamePerson(user, requester.Id) || IsApprover(user)
            ? null
            : $"{user} may not stop a release {requester} requested: only its requester and approvers can.";

    public IReadOnlyList<string> RolesOf(ChatUser user)
    {
        var roles = new List<string>();
        if (IsReleaser(user))
            roles.Add("releaser");
        if (IsApprover(user))
            roles.Add("approver");
        return roles;
    }
}
