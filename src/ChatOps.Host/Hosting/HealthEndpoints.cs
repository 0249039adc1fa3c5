using ChatOps.Host.Slack;
using ChatOps.Host.Store;
using Prometheus;

namespace ChatOps.Host.Hosting;

public static class HealthEndpoints
{
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
        app.MapMetrics("/metrics");
    }
}
