using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Steps;

namespace ChatOps.Core.Cards;

/// <summary>
/// The new messages a release posts beside its card: the call to the approvers, the reminder, the closing
/// message. Pure: the same record, people and time give the same notice.
/// </summary>
public static class Notices
{
    /// <param name="calledIn">The chat the call goes to (<see cref="ApprovalChat"/>).</param>
    public static Notice GateOpened(Release release, IReadOnlyList<ChatUser> approvers, DateTimeOffset expiresAt, DateTimeOffset now, ChatChannel calledIn) =>
        new(approvers, $"🔔 {release.Title} waits for your approval {WhatFor(release)}.\n"
            + HowToDecide(release, calledIn) + "\n"
            + $"The approval expires at {At(expiresAt, now)}; after that the release is cancelled.");

    public static Notice GateReminder(Release release, IReadOnlyList<ChatUser> approvers, DateTimeOffset expiresAt, DateTimeOffset now, ChatChannel calledIn) =>
        new(approvers, $"⏰ Reminder: {release.Title} still waits for an approval {WhatFor(release)}. "
            + $"It expires at {At(expiresAt, now)}: /approve {release.Id} or /reject {release.Id}."
            + (release.PrivateChat ? "\n" + HowToDecide(release, calledIn) : ""));

    /// <summary>
    /// Where the approvers are called: the release's chat; for one asked for in a private chat, which no approver sees,
    /// the group chat of the environment's latest release asked for in one (on the same platform), else the private
    /// chat after all, with a note that says so.
    /// </summary>
    /// <param name="recent">The environment's releases, newest first.</param>
    public static ChatChannel? ApprovalChat(Release release, IReadOnlyList<Release> recent) =>
        !release.PrivateChat || release.Channel is not { } asked
            ? release.Channel
            : recent.FirstOrDefault(r => r.Id != release.Id && !r.PrivateChat && r.Channel is { } c && c.Platform == asked.Platform && c != asked)?.Channel ?? asked;

    private static string HowToDecide(Release release, ChatChannel calledIn) =>
        !release.PrivateChat ? $"Approve or reject on the card, or type /approve {release.Id} or /reject {release.Id}."
        : calledIn != release.Channel ? $"{release.Requester} asked for it in a private chat with the bot, where its card is: type /approve {release.Id} or /reject {release.Id} here."
        : $"⚠️ It was asked for in a private chat, and no approver can see this private chat: forward this to an approver, who types /approve {release.Id} or /reject {release.Id} in any chat with the bot.";

    /// <summary>The message that ends a release: to the requester, and for an expired gate to the approvers who were called.</summary>
    public static Notice Closing(Release release, IReadOnlyList<ChatUser> alsoCalled, IReadOnlyList<CardButton> buttons)
    {
        var took = CardRenderer.Seconds(release.UpdatedAt - release.CreatedAt);
        var what = release.Kind == ReleaseKind.Release ? $"release #{release.Id} of {release.Tag} to {release.Environment}" : $"rollback #{release.Id} of {release.Environment} to {release.Tag}";
        var step = Runbook.Label(release.StoppedAt?.ToString() ?? "?");
        var text = release.State switch
        {
            ReleaseState.Released => $"✅ Done: {what} is released, in {took}."
                + (release.Outputs.PaperworkError is { } paperwork ? $" The paperwork failed ({paperwork}); /resume {release.Id} redoes it." : ""),
            ReleaseState.RolledBack => $"↩️ Done: {what} finished in {took}. {release.Environment} stays locked until /unlock {release.Environment}.",
            ReleaseState.Cancelled => $"⏹ Cancelled: {what}, after {took}. {CancelReason(release)} Nothing was deployed; the tag and backup stay.",
            ReleaseState.Failed => $"❌ Failed: {what} stopped at {step} after {took}.\nError: {release.Error}\n"
                + (release.ChangedProduction
                    ? release.Outputs.RollbackReleaseId is { } by
                        ? $"Production changed; rollback #{by} takes it back."
                        : $"Production changed: press Roll back, or type /rollback {release.Environment}."
                    : "Production was not changed."),
            ReleaseState.RollbackFailed => $"🔥 Failed: {what} stopped at {step} after {took}.\nError: {release.Error}\nProduction is in between two releases: it needs a human now. {release.Environment} stays locked until /unlock {release.Environment}.",
            ReleaseState.NeedsAttention => $"⚠️ Needs attention: {what} stopped at {step} after {took}.\nWhy: {release.Error}\nCheck, then /resume {release.Id} or /cancel {release.Id}.",
            _ => $"{what} is {release.State}.",
        };
        var people = new List<ChatUser> { release.RequestedBy };
        people.AddRange(alsoCalled.Where(p => p != release.RequestedBy));
        return new Notice(people, text, buttons);
    }

    /// <summary>A moment with its zone and how far away it is: "2026-12-01 18:55 UTC (in 30 min)".</summary>
    public static string At(DateTimeOffset at, DateTimeOffset now)
    {
        var left = at - now;
        var minutes = (int)Math.Ceiling(Math.Max(0, left.TotalMinutes));
        var away = left <= TimeSpan.Zero ? "now" : minutes >= 120 ? $"in {minutes / 60} h {minutes % 60} min" : $"in {minutes} min";
        return $"{ChatTime.Minute(at)} ({away})";
    }

    private static string WhatFor(Release release)
    {
        if (release.Kind == ReleaseKind.Rollback)
            return release.Outputs.Backup is { } backup ? $"to restore the database from {Path.GetFileName(backup.Location)}" : "to restore the database";
        if (release.Outputs.Migrations is not { } m)
            return "to run the migrations";
        if (m.Pending.Count == 0)
            return $"to deploy {release.Tag} (nothing to migrate)";
        return $"to run {m.Pending.Count} migration{(m.Pending.Count == 1 ? "" : "s")} ({m.Current ?? "empty"} → {m.Head ?? "?"}, {Steps.ApprovalGateStep.Verdicts(m)})";
    }

    private static string CancelReason(Release release) =>
        release.Outputs.RejectedBy is { } rejected ? $"Rejected by {rejected}."
        : release.CancelRequestedBy is { } by ? $"Cancelled by {by}."
        : release.Steps.FirstOrDefault(s => s.Name == Runbook.ApprovalStep) is { Status: StepStatus.Failed } gate ? $"The approval expired: {gate.Detail}."
        : "";
}
