using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Rules;

/// <summary>
/// Freeze windows (<c>ChatOps:Environments:&lt;env&gt;:Freezes</c>): a release is not started, nor approved, inside one
/// unless an approver overrides it with a reason. Rollbacks are never frozen.
/// </summary>
public sealed class FreezeRules(ChatOpsSettings settings, AccessPolicy access)
{
    private readonly Dictionary<string, FreezeCalendar> _calendars = settings.Environments.ToDictionary(
        e => e.Key, e => FreezeCalendar.Of(e.Value.Freezes), StringComparer.OrdinalIgnoreCase);

    public FreezeWindow? FrozenAt(string environment, DateTimeOffset now) => CalendarOf(environment).At(now);

    /// <summary>For /status: the window in force and when it closes, else the next one; null for an environment without freezes.</summary>
    public string? Describe(string environment, DateTimeOffset now)
    {
        var calendar = CalendarOf(environment);
        if (calendar.IsEmpty)
            return null;
        if (calendar.At(now) is { } current)
            return $"❄ frozen until {FreezeWindow.When(current.Closes, current.Zone, now)} ({current.Reason})";
        return calendar.Next(now) is { } next
            ? $"next freeze: {FreezeWindow.When(next.Opens, next.Zone, now)} until {FreezeWindow.When(next.Closes, next.Zone, now)} ({next.Reason})"
            : null;
    }

    /// <summary>Starting a release: refused inside a window, unless an approver gives <paramref name="overrideReason"/>.</summary>
    public FreezeVerdict AtStart(ChatUser user, string environment, string tag, string? overrideReason, DateTimeOffset now)
    {
        var window = FrozenAt(environment, now);
        if (overrideReason is not null)
            return Override(user, window, overrideReason, now, $"/release {tag} {environment}");
        return window is null
            ? FreezeVerdict.Open
            : FreezeVerdict.No($"{environment} is frozen until {Closes(window, now)} ({window.Reason}): release {tag} then. "
                + $"Rollbacks still run; an approver may /release {tag} {environment} --override-freeze \"<reason>\".");
    }

    /// <summary>
    /// Approving a release: a window that opened while it waited holds the approval until it closes, unless the release
    /// was let through by an override already or the approver overrides now.
    /// </summary>
    public FreezeVerdict AtApproval(Release release, ChatUser user, string? overrideReason, DateTimeOffset now)
    {
        if (release.Kind != ReleaseKind.Release)
            return FreezeVerdict.Open;
        var window = FrozenAt(release.Environment, now);
        if (overrideReason is not null)
            return Override(user, window, overrideReason, now, $"/approve {release.Id}");
        if (window is null || release.Outputs.FreezeOverride is not null)
            return FreezeVerdict.Open;
        return FreezeVerdict.No($"{release.Environment} is frozen until {Closes(window, now)} ({window.Reason}): release #{release.Id} waits at its approval until then. "
            + $"An approver may /approve {release.Id} --override-freeze \"<reason>\"; rollbacks still run.");
    }

    private FreezeVerdict Override(ChatUser user, FreezeWindow? window, string reason, DateTimeOffset now, string typed)
    {
        if (!access.IsApprover(user))
            return FreezeVerdict.No($"{user} may not --override-freeze: only approvers can."
                + (window is null ? "" : $" The environment is frozen until {Closes(window, now)} ({window.Reason})."));
        if (reason.Trim().Length == 0)
            return FreezeVerdict.No($"--override-freeze needs a reason in quotes, e.g. {typed} --override-freeze \"fix for the checkout outage\".");
        return new FreezeVerdict(null, new FreezeOverride(user.Id, reason.Trim(), window?.Reason, window is null ? null : Closes(window, now), now));
    }

    private static string Closes(FreezeWindow window, DateTimeOffset now) => FreezeWindow.When(window.Closes, window.Zone, now);

    private FreezeCalendar CalendarOf(string environment) => _calendars.GetValueOrDefault(environment) ?? FreezeCalendar.None;
}

/// <summary>Refused (with the reply), or allowed: with the override to record when an approver gave one.</summary>
public sealed record FreezeVerdict(string? Refusal, FreezeOverride? Override)
{
    public static readonly FreezeVerdict Open = new(null, null);

    public static FreezeVerdict No(string refusal) => new(refusal, null);

    /// <summary>"freeze (weekend, until Mon 08:00 Europe/Berlin) overridden by bob: reason"; empty when nothing was overridden.</summary>
    public string AuditText(Func<string, string> nameOf) => Override is { } o
        ? o.Window is null
            ? $"freeze override by {nameOf(o.By)} (no window open now, kept for this release): {o.Reason}"
            : $"freeze ({o.Window}, until {o.Until}) overridden by {nameOf(o.By)}: {o.Reason}"
        : "";
}
