using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using Prometheus;

namespace ChatOps.Host.Metrics;

/// <summary>
/// Counts what the audit trail records as it is written, so /metrics shows releases by outcome and how
/// long each step takes without the core knowing about Prometheus.
/// </summary>
public sealed class MeteredReleaseStore(IReleaseStore inner) : IReleaseStore
{
    private static readonly Counter Started = Prometheus.Metrics.CreateCounter(
        "chatops_releases_started_total", "Releases and rollbacks started.", "kind", "environment");

    private static readonly Counter Ended = Prometheus.Metrics.CreateCounter(
        "chatops_releases_ended_total", "Releases and rollbacks that reached an end state.", "kind", "environment", "state");

    private static readonly Histogram StepSeconds = Prometheus.Metrics.CreateHistogram(
        "chatops_step_duration_seconds", "Duration of each runbook step.",
        new HistogramConfiguration { LabelNames = ["step", "outcome"], Buckets = Histogram.ExponentialBuckets(0.05, 2.5, 10) });

    public async Task<StartOutcome> TryStartAsync(Release release, AuditEvent started, CancellationToken cancellationToken)
    {
        var outcome = await inner.TryStartAsync(release, started, cancellationToken);
        if (outcome.Started is { } s)
            Started.WithLabels(s.Kind.ToString(), s.Environment).Inc();
        return outcome;
    }

    public async Task SaveAsync(Release release, AuditEvent? audit, string leaseOwner, CancellationToken cancellationToken)
    {
        await inner.SaveAsync(release, audit, leaseOwner, cancellationToken);
        if (audit is null || audit.Action == "step-started")
            return;
        if (audit.FromState is { } from && release.Steps.FirstOrDefault(s => s.Name == from) is { Duration: { } duration })
            StepSeconds.WithLabels(from, audit.Action).Observe(duration.TotalSeconds);
        if (Runbook.IsFinished(release.State) && audit.FromState != audit.ToState)
            Ended.WithLabels(release.Kind.ToString(), release.Environment, release.State.ToString()).Inc();
    }

    public Task<Release?> GetAsync(long id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task<StopRequest?> RequestCancelAsync(AuditEvent requested, CancellationToken cancellationToken) => inner.RequestCancelAsync(requested, cancellationToken);

    public Task<bool> ClearCancelRequestAsync(long releaseId, CancellationToken cancellationToken) => inner.ClearCancelRequestAsync(releaseId, cancellationToken);

    public Task<IReadOnlyList<Release>> ListAsync(string? environment, bool activeOnly, int limit, CancellationToken cancellationToken) =>
        inner.ListAsync(environment, activeOnly, limit, cancellationToken);

    public Task AppendAsync(AuditEvent audit, CancellationToken cancellationToken) => inner.AppendAsync(audit, cancellationToken);

    public Task<IReadOnlyList<AuditEvent>> EventsAsync(long? releaseId, string? environment, int limit, CancellationToken cancellationToken) =>
        inner.EventsAsync(releaseId, environment, limit, cancellationToken);
}
