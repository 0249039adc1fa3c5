using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;

namespace ChatOps.Core.Rules;

/// <summary>What a rollback goes back to, decided from the environment's release history alone.</summary>
public static class RollbackPlanner
{
    /// <param name="failed">The release whose Roll back button was pressed, that was stopped to roll back, or that failed with auto-rollback on.</param>
    /// <param name="recent">The environment's releases and rollbacks, newest first.</param>
    public static RollbackPlan Plan(RollbackRequest request, Release? failed, IReadOnlyList<Release> recent)
    {
        var environment = request.Environment;
        var bad = failed ?? recent.FirstOrDefault(r => r.Kind == ReleaseKind.Release && r.ChangedProduction);
        if (bad is null && request.ToTag is null)
            return RollbackPlan.No($"Nothing to roll back in {environment}: no release has changed it. /rollback {environment} --to <tag> redeploys a tag released there before.");
        if (request.ToTag is null && bad!.Outputs.RollbackReleaseId is { } done && recent.Any(r => r.Id == done && r.State == ReleaseState.RolledBack))
            return RollbackPlan.No($"Release #{bad.Id} ({bad.Tag}) was already rolled back by #{done}. /rollback {environment} --to <tag> picks another tag released there before.");
        if (Target(request, bad, recent) is not { } target)
            return RollbackPlan.No(request.ToTag is { } tag
                ? $"{tag} was never released to {environment}, so there is nothing of it to go back to. A tag that never ran there goes through /release {tag} {environment}."
                : $"I don't know what ran before release #{bad!.Id}; say /rollback {environment} --to <tag>.");
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
            Tag = target.Tag,
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
        rollback.Outputs.RollbackTargetReleaseId = target.Release?.Id;
        rollback.Outputs.RollbackReason = target.Reason;
        foreach (var (service, image) in target.Images)
            rollback.Outputs.RollbackTargets.TryAdd(service, image);
        return new RollbackPlan(rollback, bad, null);
    }

    /// <summary>
    /// The last good release before the bad one (Released, and not rolled back since), with the images it deployed;
    /// a tag asked for by name must have been released there. With no good release on record (the bot's first
    /// release there failed), what ran before the bad release.
    /// </summary>
    public static RollbackTarget? Target(RollbackRequest request, Release? bad, IReadOnlyList<Release> recent)
    {
        if (request.ToTag is { } tag)
        {
            var released = recent.FirstOrDefault(r => r.Kind == ReleaseKind.Release && r.State == ReleaseState.Released && r.Tag == tag);
            return released is null ? null : new RollbackTarget(tag, released, Deployed(released), $"{tag} as release #{released.Id} deployed it, as asked");
        }
        var good = recent.FirstOrDefault(r => r.Id < bad!.Id && r.IsGoodIn(recent));
        if (good is not null)
            return new RollbackTarget(good.Tag, good, Deployed(good), $"release #{good.Id} ({good.Tag}) is the last good release before #{bad!.Id}");
        if (bad!.PreviousTag is not { } previous)
            return null;
        var before = bad.Outputs.Machines.Where(m => m.Before.Length > 0).GroupBy(m => m.Service).ToDictionary(g => g.Key, g => g.First().Before);
        return new RollbackTarget(previous, null, before, $"no earlier release here reached Released; {previous} is what ran before #{bad.Id}");
    }

    /// <summary>
    /// What /rollback does to a release that runs but has changed nothing yet: it is stopped there (cancelled before the
    /// point of no return), nothing goes back and nothing is locked. Null once it changed production.
    /// </summary>
    public static string? StopsWithoutRollback(Release running, EnvironmentState environment)
    {
        if (running.ChangedProduction)
            return null;
        var ends = Runbook.IsBeforePointOfNoReturn(running) || running.State == ReleaseState.NeedsAttention ? "is cancelled" : "stops before it changes anything";
        return $"Release #{running.Id} ({running.Tag}) {ends}: it changed nothing yet, so nothing is rolled back or locked, and {running.Environment} keeps running {RunningNow(environment)}";
    }

    /// <summary>The tag every service runs, or each service's where they differ.</summary>
    public static string RunningNow(EnvironmentState environment)
    {
        var tags = environment.Services.Select(s => s.Tag).Distinct(StringComparer.Ordinal).ToList();
        return tags.Count switch
        {
            0 => "what it runs now",
            1 => tags[0],
            _ => string.Join(", ", environment.Services.Select(s => $"{s.Service} {s.Tag}")),
        };
    }

    private static Dictionary<string, string> Deployed(Release release) =>
        release.Outputs.Machines.Where(m => !string.IsNullOrEmpty(m.After)).GroupBy(m => m.Service).ToDictionary(g => g.Key, g => g.First().After!);
}

public sealed record RollbackRequest(string Environment, string? ToTag, bool WithDatabase, ChatUser User, ChatChannel? Channel, string BotVersion, DateTimeOffset At);

/// <summary>The tag and images a rollback goes back to, the release that ran them (if any), and why that one.</summary>
public sealed record RollbackTarget(string Tag, Release? Release, IReadOnlyDictionary<string, string> Images, string Reason);

/// <summary>The rollback to start and the release it undoes, or why there is none.</summary>
public sealed record RollbackPlan(Release? Rollback, Release? Undoes, string? Refusal)
{
    public static RollbackPlan No(string refusal) => new(null, null, refusal);
}
