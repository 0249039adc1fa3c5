using System.Globalization;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Steps;
using ChatOps.Core.Store;

namespace ChatOps.Core.Cards;

/// <summary>Turns a release record into a card. Pure: the same record, tokens and time give the same card.</summary>
public static class CardRenderer
{
    /// <summary>A running step quiet for longer than this says so: no outside call of a step should take that long silently.</summary>
    public static readonly TimeSpan QuietLimit = TimeSpan.FromMinutes(3);

    /// <param name="nameOf">A person's display name from their id (the id itself when unknown); ids are shown when absent.</param>
    public static ReleaseCard Render(Release release, IReadOnlyList<ActionToken> openTokens, DateTimeOffset now, Func<string, string>? nameOf = null)
    {
        nameOf ??= id => id;
        var lines = Runbook.CardLines(release).Select(name => Line(release.Steps.FirstOrDefault(s => s.Name == name) ?? new StepRecord { Name = name }, now)).ToList();
        return new ReleaseCard(release.Id, release.Title, release.State, lines, Details(release, now, nameOf), Summary(release, openTokens, nameOf), Buttons(release, openTokens), CardLinks.Of(release));
    }

    private static CardLine Line(StepRecord step, DateTimeOffset now)
    {
        var timing = step.Status switch
        {
            StepStatus.Running when step.StartedAt is { } s => Seconds(now - s),
            StepStatus.Done or StepStatus.Failed when step.Duration is { } d => Seconds(d),
            _ => "",
        };
        var detail = step.Detail;
        if (step.Status == StepStatus.Running && (step.ProgressAt ?? step.StartedAt) is { } heard && now - heard > QuietLimit)
            detail = $"{(detail.Length > 0 ? detail + " · " : "")}⚠️ no progress for {Seconds(now - heard)}, longer than expected";
        return new CardLine(Runbook.Label(step.Name), step.Status, timing, detail);
    }

    public static string Seconds(TimeSpan span) =>
        span.TotalMinutes >= 1
            ? $"{(int)span.TotalMinutes}m{span.Seconds:00}s"
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, span.TotalSeconds):0.0}s");

    private static List<string> Details(Release release, DateTimeOffset now, Func<string, string> nameOf)
    {
        var o = release.Outputs;
        var details = new List<string> { $"requested by {nameOf(release.Requester)}" };
        // With its page known, the commit is among the card's links instead.
        if (o.HeadSha is not null && o.Links.Commit is null)
            details.Add($"commit {PreflightStep.Short(o.HeadSha)}");
        if (release.PreviousTag is not null)
            details.Add(release.Kind == ReleaseKind.Release ? $"replacing {release.PreviousTag}" : $"rolling back {release.PreviousTag}");
        if (o.Backup is { } backup)
            details.Add($"backup: {BackupStep.Describe(backup)}");
        if (release.State == ReleaseState.AwaitApproval && release.Kind == ReleaseKind.Release)
        {
            if (o.Migrations is { } m)
                details.AddRange(MigrationLines(release, m));
            if (o.Changes is { } changes)
                details.AddRange(changes.Describe());
        }
        if (release.Kind == ReleaseKind.Rollback && release.State == ReleaseState.AwaitApproval && o.Backup is { } restore)
            details.Add($"restoring {Path.GetFileName(restore.Location)} taken {Seconds(now - restore.CreatedAt)} ago: every write since then will be lost");
        if (o.ApprovedBy is not null)
            details.Add($"approved by {nameOf(o.ApprovedBy)}");
        if (o.Promotion is { SkippedBy: { } skipper } skipped)
            details.Add($"⚠ promotion from {skipped.From} skipped by {nameOf(skipper)}: {skipped.SkipReason}");
        else if (o.Promotion is { SourceReleaseId: { } source } promoted)
            details.Add($"promoted from {promoted.From} #{source}: same images as {promoted.From}");
        if (o.Incident is { } incident)
            details.Add(o.Hotfix ? $"🚨 hotfix for {incident.Describe()}: an approver approves it"
                : release.Kind == ReleaseKind.Rollback ? $"🚨 rollback during {incident.Describe()}"
                : $"🚨 started during {incident.Describe()}");
        if (o.FreezeOverride is { } thawed)
            details.Add(thawed.Window is null
                ? $"⚠ freeze override by {nameOf(thawed.By)}: {thawed.Reason}"
                : $"⚠ freeze ({thawed.Window}) overridden by {nameOf(thawed.By)}: {thawed.Reason}");
        foreach (var note in o.Notes)
            details.Add($"note: {note}");
        if (o.RejectedBy is not null)
            details.Add($"rejected by {nameOf(o.RejectedBy)}");
        if (o.MigrationExitCode is { } exit and not 0 && o.MigrationOutputTail is { } tail)
            details.Add($"migration exit {exit}: {tail}");
        if (o.RestoreReport is not null)
            details.Add($"restore: {o.RestoreReport}");
        if (o.RollbackReleaseId is { } rollback)
            details.Add($"rolled back by #{rollback}");
        if (release.Kind == ReleaseKind.Rollback && o.RollbackReason is { } why)
        {
            details.Add($"going back to {release.Tag}: {why}");
            details.AddRange(o.RollbackTargets.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"  • {t.Key} → {t.Value}"));
        }
        if (release.State == ReleaseState.Failed && o.RollbackCheck is { } check && o.RollbackReleaseId is null)
            details.AddRange(check.Split('\n').Skip(1));
        return details;
    }

    /// <summary>The gate's migrations in words: each revision with its verdict, what that means for a rollback, the first SQL lines.</summary>
    private static IEnumerable<string> MigrationLines(Release release, MigrationPreview m)
    {
        if (m.Pending.Count == 0)
        {
            yield return $"nothing to migrate (database at {m.Current ?? "empty"}): approve to deploy {release.Tag}";
            yield break;
        }
        yield return $"migrations from {m.Current ?? "empty"} to {m.Head ?? "?"}:";
        foreach (var p in m.Pending)
        {
            yield return $"  • {p.Revision} {p.Message}" + p.Verdict switch
            {
                MigrationVerdict.Additive => " — additive",
                MigrationVerdict.Destructive => $" — destructive: {p.Why}",
                _ => "",
            };
        }
        if (m.SqlProblem is { } problem)
            yield return $"SQL: {problem}";
        else if (m.Destructive)
            yield return "⚠ destructive: going back needs the backup restore (/rollback --with-db)";
        else
            yield return "additive only: images can go back without a restore";
        if (m.Sql is { } sql)
        {
            var lines = MigrationSql.Lines(sql);
            yield return "SQL (full text beside the card):";
            foreach (var line in lines.Take(SqlLines))
                yield return $"  {(line.Length > 100 ? line[..100] + "…" : line)}";
            if (lines.Count > SqlLines)
                yield return $"  … {lines.Count - SqlLines} more lines";
        }
    }

    private const int SqlLines = 6;

    private static string Summary(Release release, IReadOnlyList<ActionToken> openTokens, Func<string, string> nameOf)
    {
        var total = release.UpdatedAt - release.CreatedAt;
        var changed = string.Join(", ", release.Outputs.Machines.Where(m => m.After is not null)
            .GroupBy(m => m.Service).Select(g => $"{g.Key} ×{g.Count()}"));
        return release.State switch
        {
            ReleaseState.Released => $"✅ Released {release.Tag} to {release.Environment} in {Seconds(total)}."
                + (release.Outputs.PaperworkError is { } paperwork ? $" The paperwork failed ({paperwork}); the release stands. /resume {release.Id} redoes it." : ""),
            ReleaseState.RolledBack => $"↩️ Rolled back {release.Environment} to {release.Tag} in {Seconds(total)}. {release.Environment} stays locked until /unlock.",
            ReleaseState.Cancelled => $"⏹ Cancelled{(release.CancelRequestedBy is { } by ? $" by {nameOf(by)}" : "")}. Nothing was deployed; the tag and backup stay.",
            ReleaseState.Failed => $"❌ Failed at {Runbook.Label(release.StoppedAt?.ToString() ?? "?")}: {release.Error}"
                + (release.ChangedProduction
                    ? $" Production changed ({(changed.Length > 0 ? changed : "migrations ran")})"
                      + (release.Outputs.RollbackAsked is { } asked && release.Outputs.RollbackReleaseId is null
                          ? $": being rolled back now, as {nameOf(asked.By)} asked."
                          : $": roll back with the button or /rollback {release.Environment}.")
                    : " Production was not changed."),
            ReleaseState.RollbackFailed => $"🔥 Rollback failed: {release.Error} Needs a human now.",
            ReleaseState.NeedsAttention => $"⚠️ Needs attention at {Runbook.Label(release.StoppedAt?.ToString() ?? "?")}: {release.Error} Check, then /resume {release.Id} or /cancel {release.Id}.",
            ReleaseState.AwaitApproval => $"⏸ Waiting for an approver{(release.Kind == ReleaseKind.Rollback ? " to restore the database" : "")}: /approve {release.Id} or /reject {release.Id}."
                + (openTokens.FirstOrDefault(t => t.Action == CardAction.Approve) is { } gate ? $" Expires {ChatTime.Minute(gate.ExpiresAt)}." : ""),
            _ => $"▶ {Runbook.Label(release.State.ToString())}…",
        };
    }

    private static List<CardButton> Buttons(Release release, IReadOnlyList<ActionToken> tokens)
    {
        var buttons = new List<CardButton>();
        void Add(CardAction action, string label, ButtonStyle style)
        {
            if (tokens.FirstOrDefault(t => t.Action == action) is { } token)
                buttons.Add(new CardButton(label, action, token.Token, style));
        }
        if (release.State == ReleaseState.AwaitApproval)
        {
            Add(CardAction.Approve, release.Kind == ReleaseKind.Release ? "Approve migrations" : "Approve restore", ButtonStyle.Primary);
            Add(CardAction.Reject, "Reject", ButtonStyle.Default);
        }
        if (Runbook.IsBeforePointOfNoReturn(release))
            Add(CardAction.Cancel, "Cancel", ButtonStyle.Default);
        if (release.State == ReleaseState.Bake)
            Add(CardAction.MarkFaulty, "Mark faulty", ButtonStyle.Danger);
        if (release is { State: ReleaseState.NeedsAttention, StoppedAt: ReleaseState.Bake })
            Add(CardAction.Accept, "Accept", ButtonStyle.Primary);
        var running = release.IsActive && release.Kind == ReleaseKind.Release && Runbook.IsPastPointOfNoReturn(release);
        // A bake that could not judge waits for a person: Accept, or Roll back.
        var askedAtBake = release is { State: ReleaseState.NeedsAttention, StoppedAt: ReleaseState.Bake };
        if (running || askedAtBake || (release.State == ReleaseState.Failed && release.ChangedProduction && release.Outputs is { RollbackReleaseId: null, RollbackAsked: null }))
            Add(CardAction.Rollback, "Roll back", ButtonStyle.Danger);
        return buttons;
    }
}
