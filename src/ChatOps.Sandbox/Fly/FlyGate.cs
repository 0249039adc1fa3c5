using Microsoft.AspNetCore.WebUtilities;

namespace ChatOps.Sandbox;

// Injected faults and token checks for every Fly call. Both `Bearer` and flyctl's `FlyV1` scheme are accepted.
internal sealed class FlyGate(SandboxOptions options, SandboxFaults faults)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        await faults.FlyHold.PassAsync(context.RequestAborted);
        context.Response.Headers["fly-request-id"] = $"{FlyIds.Ulid()}-ord";
        if (faults.TakeFly() is { } fault)
        {
            if (fault.RetryAfterHeader is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            var message = fault.StatusCode == 429 ? "rate limit exceeded" : ReasonPhrases.GetReasonPhrase(fault.StatusCode).ToLowerInvariant();
            await FlyJson.Error(fault.StatusCode, message).ExecuteAsync(context);
            return;
        }

        // /wait and exec are held open on purpose, with a per-attempt timeout to match: a hang there would outlast a suite.
        var path = context.Request.Path.Value ?? "";
        var longCall = path.EndsWith("/wait", StringComparison.Ordinal) || path.EndsWith("/exec", StringComparison.Ordinal);
        if (faults.Random is { } random && random.Draw(RandomFaults.Fly, mayHang: !longCall) is { } drawn)
        {
            if (drawn.Kind == FaultKind.Timeout)
                await random.HangAsync(context.RequestAborted);
            else if (drawn.Kind == FaultKind.RateLimited)
                context.Response.Headers.RetryAfter = drawn.RetryAfterHeader;
            if (!context.RequestAborted.IsCancellationRequested)
            {
                var text = drawn.StatusCode == 429 ? "rate limit exceeded" : ReasonPhrases.GetReasonPhrase(drawn.StatusCode).ToLowerInvariant();
                await FlyJson.Error(drawn.StatusCode, text).ExecuteAsync(context);
            }
            return;
        }

        var auth = context.Request.Headers.Authorization.ToString();
        // A printed deploy token may already carry its scheme (`FlyV1 fm2_…`) and is then sent unchanged.
        var carriesScheme = options.FlyToken.StartsWith("FlyV1 ", StringComparison.Ordinal) || options.FlyToken.StartsWith("Bearer ", StringComparison.Ordinal);
        if (auth != "Bearer " + options.FlyToken && auth != "FlyV1 " + options.FlyToken && !(carriesScheme && auth == options.FlyToken))
        {
            await SandboxJson.Json(new { error = "You must be authenticated to view this." }, 401).ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
