using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using ChatOps.Core.Store;
using Prometheus;

namespace ChatOps.Host.Metrics;

/// <summary>
/// The four delivery figures (what /history --stats says, over the last 30 days) as gauges per environment,
/// computed from the store when /metrics is scraped; NaN where there is nothing to measure yet.
/// </summary>
public sealed class DeliveryMetrics(ChatOpsSettings settings, IReleaseStore releases, TimeProvider clock, ILogger<DeliveryMetrics> log)
{
    public static readonly TimeSpan Period = TimeSpan.FromDays(30);

    // A scrape must not hang on a slow store: the figures are skipped for that scrape instead.
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(5);

    private static readonly Gauge Deployments = Prometheus.Metrics.CreateGauge(
        "chatops_delivery_deployments_30d", "Releases that reached Released in the last 30 days (deployment frequency).", "environment");

    private static readonly Gauge LeadTime = Prometheus.Metrics.CreateGauge(
        "chatops_delivery_lead_time_seconds", "Median lead time for changes, oldest commit of a release to Released, last 30 days.", "environment");

    private static readonly Gauge ChangeFailureRate = Prometheus.Metrics.CreateGauge(
        "chatops_delivery_change_failure_ratio", "Changes that failed after Migrate/Deploy or were rolled back, over changes, last 30 days.", "environment");

    private static readonly Gauge TimeToRestore = Prometheus.Metrics.CreateGauge(
        "chatops_delivery_time_to_restore_seconds", "Median time from a failed change to rolled back or the next release Released, last 30 days.", "environment");

    /// <summary>Refreshes the gauges before each scrape of the default registry.</summary>
    public void Attach(CollectorRegistry registry) => registry.AddBeforeCollectCallback(RefreshAsync);

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StoreTimeout);
        try
        {
            foreach (var environment in settings.Environments.Keys)
            {
                var history = await releases.ListAsync(environment, activeOnly: false, limit: 1000, timeout.Token);
                var figures = DeliveryFigures.Of(environment, history, clock.GetUtcNow(), Period);
                Deployments.WithLabels(environment).Set(figures.Deployments);
                LeadTime.WithLabels(environment).Set(figures.LeadTime?.TotalSeconds ?? double.NaN);
                ChangeFailureRate.WithLabels(environment).Set(figures.ChangeFailureRate ?? double.NaN);
                TimeToRestore.WithLabels(environment).Set(figures.TimeToRestore?.TotalSeconds ?? double.NaN);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The scrape still answers with everything else; the figures keep their last values.
            log.LogWarning(e, "Delivery figures not refreshed for /metrics");
        }
    }
}
