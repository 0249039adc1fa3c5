using ChatOps.Host.Metrics;
using ChatOps.Host.Slack;
using ChatOps.Host.Store;
using ChatOps.Host.Telegram;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOps.Host.Hosting;

public static class HealthEndpoints
{
    private const string Ready = "ready";

    /// <summary>Readiness checks: the store answers, and each chat receiver's loop (poller or socket) still runs.</summary>
    public static IServiceCollection AddReadinessChecks(this IServiceCollection services)
    {
        services.AddSingleton<ChatOps.Host.Metrics.DeliveryMetrics>();
        services.AddMetricsPort();
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: [Ready])
            .AddCheck<ChatReceiverHealthCheck>("chat receiver", tags: [Ready]);
        return services;
    }

    public static void MapHealth(this WebApplication app)
    {
        // The Slack socket is reported, not judged: Slack being away should not get the bot restarted.
        app.MapGet("/health", async (IStoreProbe store, IServiceProvider services, CancellationToken cancellationToken) =>
        {
            var slackSocket = services.GetService<SlackSocketHealth>()?.Report();
            try
            {
                return await store.PingAsync(cancellationToken)
                    ? Results.Ok(new { status = "ok", store = store.Kind, slackSocket })
                    : Results.Json(new { status = "degraded", store = store.Kind, slackSocket }, statusCode: 503);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Results.Json(new { status = "degraded", store = store.Kind, error = "store unreachable", slackSocket }, statusCode: 503);
            }
        });
        // Liveness: the process answers; no outside dependency, so a store outage does not restart the bot.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        // Readiness: what the bot needs to do its work.
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteReportAsync });
        app.Services.GetRequiredService<ChatOps.Host.Metrics.DeliveryMetrics>().Attach(Prometheus.Metrics.DefaultRegistry);
        app.MapMetricsPort();
    }

    // The platform only reads the status code; whoever runs `curl /health/ready` on the machine wants to see which check failed.
    private static Task WriteReportAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, context.RequestAborted);

    private sealed class StoreHealthCheck(IStoreProbe store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                return await store.PingAsync(cancellationToken)
                    ? HealthCheckResult.Healthy($"{store.Kind} answers")
                    : HealthCheckResult.Unhealthy($"{store.Kind} does not answer");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy($"{store.Kind} unreachable");
            }
        }
    }

    // A receiver whose loop has ended (crashed or stopped) no longer takes commands, though the process lives on.
    // In webhook mode the Telegram receiver's loop ends once the webhook is set; only a fault counts there.
    private sealed class ChatReceiverHealthCheck(IEnumerable<IHostedService> hosted, IConfiguration configuration) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var receivers = hosted.OfType<BackgroundService>().Where(s => s is TelegramReceiver or SlackReceiver).ToList();
            var webhook = !string.IsNullOrEmpty(configuration["Telegram:WebhookUrl"]);
            var stopped = receivers
                .Where(r => r.ExecuteTask is { IsCompleted: true } done && (done.IsFaulted || r is SlackReceiver || !webhook))
                .Select(r => r.GetType().Name).ToList();
            return Task.FromResult(stopped.Count == 0
                ? HealthCheckResult.Healthy($"{receivers.Count} chat receivers running")
                : HealthCheckResult.Unhealthy($"stopped: {string.Join(", ", stopped)}"));
        }
    }
}
