using ChatOps.Core.Domain;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Rules;

/// <summary>
/// Who may talk to the bot, read, release and run the doctor: decided without I/O from the roles in the settings.
/// Each answers null when allowed, else the refusal to show.
/// </summary>
public sealed class AccessRules(AccessPolicy access)
{
    public string? MayRelease(ChatUser user) => access.CanRelease(user);

    public IReadOnlyList<string> RolesOf(ChatUser user) => access.RolesOf(user);

    /// <summary>/doctor shows what every outside system answers, so it is for approvers only.</summary>
    public string? MayRunDoctor(ChatUser user) =>
        access.IsApprover(user) ? null : $"{user} may not run /doctor: only approvers can.";

    /// <summary>
    /// The id Telegram gives every anonymous group admin (GroupAnonymousBot) and the one it gives posts made on behalf
    /// of a channel (Channel_Bot): anyone can speak as them, so neither may ever hold a role.
    /// </summary>
    public static readonly IReadOnlySet<string> SharedIdentities = new HashSet<string>(StringComparer.Ordinal) { "telegram:1087968824", "telegram:136817688" };

    /// <summary>Start-up refusals for role lists that name an identity anyone can speak as.</summary>
    public static IEnumerable<string> NeverGranted(AccessSettings access) =>
        access.Releasers.Concat(access.Approvers).Where(id => SharedIdentities.Contains(id.Trim())).Distinct().Select(id =>
            $"ChatOps:Access lists {id}, the id Telegram uses for every anonymous group admin or channel post; it can never hold a role. Give the people their own ids.");

    /// <summary>
    /// Strangers, in live mode: a chat off the allow list gets this one reply (its id and how to allow it) and nothing
    /// else; a private chat is served only to someone with a role. Null when the message may be handled.
    /// </summary>
    public string? MayTalkIn(ChatUser user, ChatPlace? place)
    {
        if (place is null || !place.Live || place.Listed)
            return null;
        if (place.Private)
            return HasRole(user)
                ? null
                : $"ChatOps answers private chats only for people with a role. You are {user}; ask an admin to add it to ChatOps:Access:Releasers or ChatOps:Access:Approvers.";
        return $"ChatOps does not work in this chat. To allow it, an admin adds its id {place.ChatId} to {place.AllowKey}.";
    }

    /// <summary>Read commands (/status, /history, /plan, a dry run) show the audit trail: open in allowed chats, elsewhere only to people with a role.</summary>
    public string? MayRead(ChatUser user, ChatPlace? place) =>
        place is null || !place.Live || place.Listed || HasRole(user)
            ? null
            : $"{user} may not read releases here: status, history and plans are open in allowed chats ({place.AllowKey}), elsewhere only to releasers and approvers.";

    /// <summary>
    /// Whether the bot may ask the chat platform who this person is (Slack's users.info): only for someone with a role,
    /// in a chat the bot talks in. The names shown are those of requesters and approvers; a stranger, or anyone in a
    /// chat the bot refuses, is answered without the bot asking anything about them.
    /// </summary>
    public bool MayLookUp(ChatUser user, ChatPlace? place) => MayTalkIn(user, place) is null && HasRole(user);

    private bool HasRole(ChatUser user) => !SharedIdentities.Contains(user.Id) && (access.IsReleaser(user) || access.IsApprover(user));
}
