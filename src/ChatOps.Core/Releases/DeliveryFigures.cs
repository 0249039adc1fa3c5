namespace ChatOps.Core.Releases;

/// <summary>
/// The four delivery (DORA) figures of one environment over a period, computed without I/O from its release records:
/// <list type="bullet">
/// <item>deployment frequency: releases that reached Released in the period;</item>
/// <item>lead time for changes: median of oldest commit in the release → Released (releases whose oldest commit GitHub reported);</item>
/// <item>change failure rate: of the releases that changed the environment and ended in the period, those that failed after
/// Migrate or Deploy began, or were rolled back;</item>
/// <item>time to restore: median of failure (the failed end, or the rollback's request for a rolled-back release) → the next
/// rollback that finished RolledBack or release that reached Released; from the incident's start instead when that
/// rollback was started in an open incident that began earlier.</item>
/// </list>
/// </summary>
public sealed record DeliveryFigures(
    string Environment,
    TimeSpan Period,
    int Deployments,
    TimeSpan? LeadTime,
    int LeadTimeSamples,
    int Changes,
    int FailedChanges,
    TimeSpan? TimeToRestore,
    int Restores)
{
    public double PerWeek => Deployments / Period.TotalDays * 7;

    public double? ChangeFailureRate => Changes == 0 ? null : (double)FailedChanges / Changes;

    public static DeliveryFigures Of(string environment, IReadOnlyList<Release> history, DateTimeOffset now, TimeSpan period)
    {
        var since = now - period;
        bool InPeriod(DateTimeOffset at) => at > since && at <= now;
        var released = history.Where(r => r.Kind == ReleaseKind.Release && r.State == ReleaseState.Released && InPeriod(EndedAt(r))).ToList();
        var leads = released.Where(r => r.Outputs.OldestCommitAt is not null).Select(r => EndedAt(r) - r.Outputs.OldestCommitAt!.Value).ToList();
        var changes = history.Where(r => r.Kind == ReleaseKind.Release && !r.IsActive && r.ChangedProduction && InPeriod(EndedAt(r))).ToList();
        var failures = changes.Select(r => FailedAt(r, history) is { } at ? (Release: r, At: at) : default).Where(f => f.Release is not null).ToList();
        var restores = failures.Select(f => RestoredBy(f.Release, f.At, history) is { } by ? EndedAt(by) - Start(f.At, by) : (TimeSpan?)null)
            .Where(t => t is not null).Select(t => t!.Value).ToList();
        return new DeliveryFigures(environment, period, released.Count, Median(leads), leads.Count, changes.Count, failures.Count, Median(restores), restores.Count);
    }

    /// <summary>When a release or rollback reached its end: recorded for Released, else its last step's end.</summary>
    public static DateTimeOffset EndedAt(Release release) =>
        release.Outputs.ReleasedAt ?? release.Steps.Where(s => s.FinishedAt is not null).Select(s => s.FinishedAt!.Value).DefaultIfEmpty(release.UpdatedAt).Max();

    /// <summary>A failed change: failed after it changed the environment, or released and then rolled back (from the rollback's request).</summary>
    private static DateTimeOffset? FailedAt(Release release, IReadOnlyList<Release> history)
    {
        if (release.State == ReleaseState.Failed)
            return EndedAt(release);
        var rollback = history.Where(r => r.Kind == ReleaseKind.Rollback && r.Id > release.Id
                && (r.Id == release.Outputs.RollbackReleaseId || (r.RollbackOf == release.Id) || (r.PreviousTag == release.Tag && r.State == ReleaseState.RolledBack)))
            .OrderBy(r => r.Id).FirstOrDefault();
        return release.State == ReleaseState.Released && rollback is not null ? rollback.CreatedAt : null;
    }

    private static Release? RestoredBy(Release failed, DateTimeOffset failedAt, IReadOnlyList<Release> history) =>
        history.Where(r => r.Id > failed.Id && r.State is ReleaseState.RolledBack or ReleaseState.Released && EndedAt(r) >= failedAt)
            .OrderBy(EndedAt).FirstOrDefault();

    // The people were restoring since the incident began, which is often before the bot saw the change fail.
    private static DateTimeOffset Start(DateTimeOffset failedAt, Release restoredBy) =>
        restoredBy is { Kind: ReleaseKind.Rollback, Outputs.Incident: { } incident } && incident.OpenedAt < failedAt ? incident.OpenedAt : failedAt;

    private static TimeSpan? Median(List<TimeSpan> values)
    {
        if (values.Count == 0)
            return null;
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
