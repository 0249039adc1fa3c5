using System.Text;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Steps;

namespace ChatOps.Core.Decisions;

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

        var since = rollback.Outputs.RollbackTargetReleaseId ?? (plan.Undoes?.Id - 1) ?? 0;
        var revisions = recent
            .Where(r => r.Kind == ReleaseKind.Release && r.Id > since && r.Steps.Any(s => s.Name == nameof(ReleaseState.Migrate) && s.Status == StepStatus.Done))
            .OrderBy(r => r.Id)
            .SelectMany(r => (r.Outputs.Migrations?.Pending ?? []).Select(m => (Release: r, Revision: m)))
            .ToList();
        var migrated = revisions.Select(x => $"{x.Revision.Revision} {x.Revision.Message} (#{x.Release.Id}{Verdict(x.Revision)})").ToList();
        text.Append(migrated.Count == 0
            ? "  Migrations since then: none.\n"
            : $"  Migrations since then: {string.Join("; ", migrated)}.\n");
        if (revisions.Count > 0)
            text.Append($"  Old code on a newer schema: revision {revisions[^1].Revision.Revision} is unknown to {rollback.Tag}.\n");
        // The verdicts come from each migration's SQL at its approval; without them nothing can be assumed.
        var additiveOnly = revisions.Count > 0 && revisions.All(x => x.Revision.Verdict == MigrationVerdict.Additive);

        var backup = plan.Undoes?.Outputs.Backup;
        text.Append(backup is null
            ? "  Backup: none recorded for the release being undone.\n"
            : $"  Backup: {Path.GetFileName(backup.Location)} ({backup.Kind}), taken {Ago(now - backup.CreatedAt)} ago; restoring it loses every write since.\n");

        var running = recent.FirstOrDefault(r => r.IsActive);
        if (environment.Lock is { } held && held.IsLive(now))
            text.Append($"  Lock: {request.Environment} is locked by {held.LockedBy}: {held.Reason}{ReleaseRules.Until(held)} (a rollback overrides the freeze).\n");
        if (running is not null)
            text.Append($"  Running: {running.Title} is at {running.State}; /rollback stops it at the next safe point first.\n");

        var unsafeBecause = migrated.Count > 0 && !request.WithDatabase && !additiveOnly
            ? $"the images of {rollback.Tag} would run on a schema {migrated.Count} migration{(migrated.Count == 1 ? "" : "s")} newer than they were built for; "
              + backup switch
              {
                  null => "check those migrations are backward compatible first.",
                  { Kind: "fly-snapshot" } => $"check they are backward compatible, or restore snapshot {backup.Location} on Fly first "
                      + $"(`fly volumes create <name> --snapshot-id {backup.Location} -a <app>`).",
                  _ => $"check they are backward compatible, or add --with-db to restore {Path.GetFileName(backup.Location)}.",
              }
            : null;
        return text.Append(unsafeBecause is not null ? $"Unsafe: {unsafeBecause}"
            : additiveOnly && !request.WithDatabase ? $"Safe: the migrations since {rollback.Tag} are additive only, so its images can go back without a restore."
            : $"Safe: {rollback.Tag}'s images {(request.WithDatabase ? "and the backup " : "")}match the schema they will meet.").ToString();
    }

    private static string Verdict(MigrationRevision revision) => revision.Verdict switch
    {
        MigrationVerdict.Additive => ", additive",
        MigrationVerdict.Destructive => $", destructive: {revision.Why}",
        _ => "",
    };

    private static string Ago(TimeSpan span) => span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:00}m" : $"{Math.Max(0, (int)span.TotalMinutes)} min";
}
