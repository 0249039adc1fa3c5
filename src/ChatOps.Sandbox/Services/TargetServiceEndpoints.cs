using System.Collections.Concurrent;

namespace ChatOps.Sandbox;

// The two FastAPI services the bot releases. Each reports the tag of the image its Fly app runs, so a deploy
// in the Fly simulator is what changes /version, and an unhealthy tag is what breaks /health.
internal static class TargetServiceEndpoints
{
    public static void MapTargetServices(this WebApplication app, SandboxOptions options, FlyCloud fly, SandboxFaults faults)
    {
        var runs = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var group = app.MapGroup("/services/{service}");
        group.AddEndpointFilter(async (context, next) =>
            options.Apps.Any(a => a.Service == (string?)context.HttpContext.Request.RouteValues["service"] || a.FlyApp == (string?)context.HttpContext.Request.RouteValues["service"])
                ? await next(context)
                : SandboxJson.Json(new { detail = "Not Found" }, 404));

        group.MapGet("/health", (string service) =>
        {
            var version = VersionOf(service, options, fly);
            return faults.UnhealthyTags.Contains(version)
                ? SandboxJson.Json(new { status = "degraded", service, error = "database pool exhausted" }, 503)
                : SandboxJson.Json(new { status = "ok", service });
        });

        group.MapGet("/version", (string service, HttpRequest request) =>
            Authorized(request, options)
                ? SandboxJson.Json(new { version = VersionOf(service, options, fly), service })
                : InvalidKey());

        group.MapPost("/v1/chat/brendan", async (string service, HttpRequest request) =>
        {
            if (!Authorized(request, options))
            {
                return InvalidKey();
            }

            var body = await SandboxJson.ReadObjectAsync(request);
            if (body?.GetString("message") is not { Length: > 0 } message || body.GetString("user_id") is not { Length: > 0 })
            {
                return SandboxJson.Json(new
                {
                    detail = new[] { new { type = "missing", loc = new[] { "body", "message" }, msg = "Field required" } },
                }, 422);
            }

            var runId = "run_" + SandboxJson.RandomAlphanumeric(12);
            runs[runId] = service;
            return SandboxJson.Json(new { runId, reply = $"Proposal: I'll look into \"{message}\" and draft a plan." });
        });

        group.MapGet("/v1/runs/{runId}", (string runId, HttpRequest request) =>
            !Authorized(request, options) ? InvalidKey()
            : runs.ContainsKey(runId) ? SandboxJson.Json(new { runId, status = "pending_workflow" })
            : SandboxJson.Json(new { detail = "run not found" }, 404));
    }

    private static string VersionOf(string service, SandboxOptions options, FlyCloud fly)
    {
        var flyApp = options.Apps.FirstOrDefault(a => a.FlyApp == service)?.FlyApp ?? options.Apps.First(a => a.Service == service).FlyApp;
        return fly.ServiceImage(flyApp) is { } image ? ImageRef.Parse(image).Tag : "";
    }

    private static bool Authorized(HttpRequest request, SandboxOptions options) =>
        request.Headers["x-api-key"].ToString() == options.ApiKey;

    private static IResult InvalidKey() => SandboxJson.Json(new { detail = "invalid api key" }, 401);
}
