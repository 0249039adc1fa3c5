using System.Text;
using ChatOps.Core.Releases;
using ChatOps.Core.Steps;
using ChatOps.Core.Store;

namespace ChatOps.Core.Rules;

/// <summary>
/// What a rollback would do now and whether it is safe, from the history alone: the target and its images, the
/// migrations applied since (old code on a newer schema), the backup and its age, locks and running work.
/// </summary>
public static class RollbackCheck
{
    public static string Summarize(RollbackRequest request, Release? failed, IReadOnlyList<Release> recent, EnvironmentState environment, DateTimeOffset now)
    {
        var text = new StringBuilder($"Rollback check for {request.Environment} (nothing was changed):\n");
        // A release that runs but changed nothing yet is what /rollback stops: there is no target, only a cancel.
        if (failed is null && request.ToTag is null && recent.FirstOrDefault(r => r.IsActive) is { Kind: ReleaseKind.Release } runs
            && RollbackPlanner.StopsWithoutRollback(runs, environment) is { } stops)
            return text.Append($"  {stops}.\nSafe: nothing in production changes.").ToString();
        var plan = RollbackPlanner.Plan(request, failed, recent);
        if (plan.Rollback is not { } rollback)
            return text.Append($"  ❌ {plan.Refusal}\nUnsafe: there is no rollback to run.").ToString();

        text.Append($"  Target: {rollback.Tag} — {rollback.Outputs.RollbackReason}.\n");
        foreach (var (service, image) in rollback.Outputs.RollbackTargets.OrderBy(t => t.Key, StringComparer.Ordinal))
            text.Append($"    {service} → {image}\n");

        var revisions = MigrationsSince(plan, recent);
        var migrated = revisions.Select(x => $"{x.Revision.Revision} {x.Revision.Message} (#{x.Release.Id}{Verdict(x.Revision)})").ToList();
        text.Append(migrated.Count == 0
            ? "  Migrations since then: none.\n"
            : $"  Migrations since then: {string.Join("; ", migrated)}.\n");
        // With --with-db, what the old code meets is the restored schema: the migrations the backup already held.
        var met = request.WithDatabase ? KeptByRestore(plan, revisions) : revisions;
        if (met.Count > 0)
            text.Append($"  Old code on a newer schema{(request.WithDatabase ? " after the restore" : "")}: revision {met[^1].Revision.Revision} is unknown to {rollback.Tag}.\n");
        // The verdicts come from each migration's SQL at its approval; without them nothing can be assumed.
        var additiveOnly = met.Count > 0 && met.All(x => x.Revision.Verdict == MigrationVerdict.Additive);

        var backup = plan.Undoes?.Outputs.Backup;
        text.Append(backup is null
            ? "  Backup: none recorded for the release being undone.\n"
            : $"  Backup: {Path.GetFileName(backup.Location)} ({backup.Kind}), taken {Ago(now - backup.CreatedAt)} ago; restoring it loses every write since.\n");

        var running = recent.FirstOrDefault(r => r.IsActive);
        if (environment.Lock is { } held && held.IsLive(now))
            text.Append($"  Lock: {request.Environment} is locked by {held.LockedBy}: {held.Reason}{LockRules.Until(held)} (a rollback overrides the freeze).\n");
        if (running is not null)
            text.Append($"  Running: {running.Title} is at {running.State}; /rollback stops it at the next safe point first.\n");

        var unsafeBecause = additiveOnly || met.Count == 0 ? null
            : request.WithDatabase ? SchemaLeftByRestore(plan, met)
            : $"the images of {rollback.Tag} would run on a schema {met.Count} migration{(met.Count == 1 ? "" : "s")} newer than they were built for; "
              + backup switch
              {
                  null => "check those migrations are backward compatible first.",
                  { Kind: "fly-snapshot" } => $"check they are backward compatible, or restore snapshot {backup.Location} on Fly first "
                      + $"(`fly volumes create <name> --snapshot-id {backup.Location} -a <app>`).",
                  _ => $"check they are backward compatible, or add --with-db to restore {Path.GetFileName(backup.Location)}.",
              };
        return text.Append(unsafeBecause is not null ? $"Unsafe: {unsafeBecause}"
            : additiveOnly ? $"Safe: the migrations {(request.WithDatabase ? "the restored schema keeps" : $"since {rollback.Tag}")} are additive only, so its images can go back{(request.WithDatabase ? "" : " without a restore")}."
            : $"Safe: {rollback.Tag}'s images {(request.WithDatabase ? "and the backup " : "")}match the schema they will meet.").ToString();
    }

    /// <summary>
    /// For a planned --with-db rollback, why the old code would still meet a newer schema after the restore; null when
    /// it would not (or only additive migrations stay). Said by the check and in the rollback's confirmation.
    /// </summary>
    public static string? SchemaLeftByRestore(RollbackPlan plan, IReadOnlyList<Release> recent)
    {
        var kept = KeptByRestore(plan, MigrationsSince(plan, recent));
        return kept.Count == 0 || kept.All(x => x.Revision.Verdict == MigrationVerdict.Additive) ? null : SchemaLeftByRestore(plan, kept);
    }

    private static string SchemaLeftByRestore(RollbackPlan plan, IReadOnlyList<(Release Release, MigrationRevision Revision)> kept)
    {
        var releases = string.Join(", ", kept.Select(x => $"#{x.Release.Id} ({x.Release.Tag})").Distinct());
        var revisions = string.Join(", ", kept.Select(x => x.Revision.Revision));
        return $"--with-db restores the backup of #{plan.Undoes!.Id}, taken just before #{plan.Undoes.Id} migrated, so it still holds the migrations of {releases} "
            + $"(revision{(kept.Count == 1 ? "" : "s")} {revisions}): the images of {plan.Rollback!.Tag} would run on a schema newer than they were built for. "
            + $"Check those migrations are backward compatible, or restore a backup taken before {kept[0].Release.Tag} by hand.";
    }

    /// <summary>The migrations applied by releases after the rollback's target, oldest first, each with its release.</summary>
    private static List<(Release Release, MigrationRevision Revision)> MigrationsSince(RollbackPlan plan, IReadOnlyList<Release> recent)
    {
        var since = plan.Rollback?.Outputs.RollbackTargetReleaseId ?? (plan.Undoes?.Id - 1) ?? 0;
        return recent
            .Where(r => r.Kind == ReleaseKind.Release && r.Id > since && r.Steps.Any(s => s.Name == nameof(ReleaseState.Migrate) && s.Status == StepStatus.Done))
            .OrderBy(r => r.Id)
            .SelectMany(r => (r.Outputs.Migrations?.Pending ?? []).Select(m => (Release: r, Revision: m)))
            .ToList();
    }

    // The backup a --with-db rollback restores was taken by the release it undoes, before that release migrated: the
    // migrations of the releases before it are in the backup, and the restore does not take them away.
    private static List<(Release Release, MigrationRevision Revision)> KeptByRestore(RollbackPlan plan, List<(Release Release, MigrationRevision Revision)> revisions) =>
        plan.Undoes is { } undone ? revisions.Where(x => x.Release.Id < undone.Id).ToList() : revisions;

    private static string Verdict(MigrationRevision revision) => revision.Verdict switch
    {
        MigrationVerdict.Additive => ", additive",
        MigrationVerdict.Destructive => $", destructive: {revision.Why}",
        _ => "",
    };

    private static string Ago(TimeSpan span) => span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:00}m" : $"{Math.Max(0, (int)span.TotalMinutes)} min";
}
