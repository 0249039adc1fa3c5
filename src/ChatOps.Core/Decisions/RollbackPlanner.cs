using ChatOps.Core.Domain;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Decisions;

/// <summary>What a rollback goes back to, decided from the environment's release history alone.</summary>
public static class RollbackPlanner
{
    /// <param name="failed">The release whose Roll back button was pressed, or that failed with auto-rollback on.</param>
    /// <param name="recent">The environment's releases and rollbacks, newest first.</param>
    public static RollbackPlan Plan(RollbackRequest request, Release? failed, IReadOnlyList<Release> recent)
    {
        var environment = request.Environment;
        var bad = failed ?? recent.FirstOrDefault(r => r.Kind == ReleaseKind.Release && r.ChangedProduction);
        if (bad is null && request.ToTag is null)
            return RollbackPlan.No($"Nothing to roll back in {environment}: no release has changed it. /rollback {environment} --to <tag> redeploys a given tag.");
        if (request.ToTag is null && bad!.Outputs.RollbackReleaseId is { } done && recent.Any(r => r.Id == done && r.State == ReleaseState.RolledBack))
            return RollbackPlan.No($"Release #{bad.Id} ({bad.Tag}) was already rolled back by #{done}. /rollback {environment} --to <tag> picks another tag.");
        var target = request.ToTag ?? bad!.PreviousTag;
        if (target is null)
            return RollbackPlan.No($"I don't know what ran before release #{bad!.Id}; say /rollback {environment} --to <tag>.");
        if (request.WithDatabase && bad?.Outputs.Backup is null)
            return RollbackPlan.No($"No backup is recorded for {(bad is null ? environment : $"release #{bad.Id}")}, so --with-db cannot restore anything.");
        if (request.WithDatabase && bad!.Outputs.Backup!.Kind == "fly-snapshot")
        {
            var snapshot = bad.Outputs.Backup.Location;
            return RollbackPlan.No($"The backup of #{bad.Id} is Fly volume snapshot {snapshot}; restoring it is a provider-side operation: "
                + $"`fly volumes create <name> --snapshot-id {snapshot} -a <app>`, then point the database machine at the new volume. "
                + $"/rollback {environment} without --with-db rolls the images back.");
        }

        var rollback = new Release
        {
            Kind = ReleaseKind.Rollback,
            Environment = environment,
            Tag = target,
            PreviousTag = bad?.Tag,
            Requester = request.User.Id,
            Channel = request.Channel ?? failed?.Channel,
            State = Runbook.Start,
            WithDatabase = request.WithDatabase,
            RollbackOf = bad?.Id,
            BotVersion = request.BotVersion,
            CreatedAt = request.At,
            UpdatedAt = request.At,
        };
        rollback.Outputs.Backup = request.WithDatabase ? bad?.Outputs.Backup : null;
        // Back to the images that ran before the bad release; --to a tag takes the images that tag's release deployed.
        var source = request.ToTag is null
            ? bad
            : recent.FirstOrDefault(r => r.Kind == ReleaseKind.Release && r.State == ReleaseState.Released && r.Tag == request.ToTag);
        foreach (var machine in source?.Outputs.Machines ?? [])
        {
            var image = request.ToTag is null ? machine.Before : machine.After;
            if (!string.IsNullOrEmpty(image))
                rollback.Outputs.RollbackTargets.TryAdd(machine.Service, image);
        }
        return new RollbackPlan(rollback, bad, null);
    }
}

public sealed record RollbackRequest(string Environment, string? ToTag, bool WithDatabase, ChatUser User, ChatChannel? Channel, string BotVersion, DateTimeOffset At);

/// <summary>The rollback to start and the release it undoes, or why there is none.</summary>
public sealed record RollbackPlan(Release? Rollback, Release? Undoes, string? Refusal)
{
    public static RollbackPlan No(string refusal) => new(null, null, refusal);
}
