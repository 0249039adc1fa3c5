using ChatOps.Host.Store;
using Prometheus;

namespace ChatOps.Host.Hosting;

public static class HealthEndpoints
{
    public static void MapHealth(this WebApplication app)
    {
        app.MapGet("/health", async (IStoreProbe store, CancellationToken cancellationToken) =>
        {
            try
            {
                return await store.PingAsync(cancellationToken)
                    ? Results.Ok(new { status = "ok", store = store.Kind })
                    : Results.Json(new { status = "degraded", store = store.Kind }, statusCode: 503);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Results.Json(new { status = "degraded", store = store.Kind, error = "store unreachable" }, statusCode: 503);
            }
        });
        app.MapMetrics("/metrics");
    }
}
