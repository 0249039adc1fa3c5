namespace ChatOps.Core.Bake;

/// <summary>What one turn of the bake did: the record to store, what comes next, and whether the metrics were asked.</summary>
public sealed record BakeTurnResult(BakeRecord Record, BakeNext Next, bool Evaluated);

/// <summary>
/// One turn of a release's bake, run whenever the release is woken: starts the window when none is stored, does nothing
/// before the next evaluation is due (so a woken release costs no query), else reads the metrics and the machines and
/// decides. The caller stores the record before acting on the decision, so a crash resumes with the same deadline.
/// </summary>
public sealed class BakeTurn(IMetricsQuery? metrics)
{
    public async Task<BakeTurnResult> TakeAsync(
        BakeRecord? stored, DateTimeOffset deployStartedAt, IReadOnlyList<BakeTarget> targets, BakeSettings settings, DateTimeOffset now,
        Func<CancellationToken, Task<IReadOnlyList<BakeMachine>>> machines, CancellationToken cancellationToken)
    {
        var record = stored ?? BakeRecord.Start(deployStartedAt, now, settings.Duration);
        var due = record.DueAt(settings.Interval);
        if (now < due)
            return new(record, new BakeNext(BakeMove.Wait, due, BakeWatch.Progress(record, Latest(record), now)), false);

        // Without a metrics store (no Prometheus:Url) the bake watches the machines alone.
        var analysis = metrics is null ? BakeReport.Of([], []) : await new BakeAnalysis(metrics).EvaluateAsync(targets, settings, record.WindowAt(now), cancellationToken);
        var fleet = BakeMachines.Judge([.. targets.Select(t => t.Service)], await machines(cancellationToken));
        var report = BakeReport.Of([.. fleet, .. analysis.Findings], analysis.Figures);
        return new(record.With(report, now), BakeWatch.After(record, report, now, settings.Interval), true);
    }

    private static BakeReport Latest(BakeRecord record) => new(record.LastVerdict ?? BakeVerdict.Inconclusive, [], record.Figures);
}
