using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatOps.Sandbox;

// What every GitHub call passes before it reaches an endpoint: injected faults, User-Agent, token, version and
// the headers GitHub sends on every response.
internal sealed class GitHubGate(GitHubAccess access, SandboxFaults faults)
{
    private static readonly string[] Versions = ["2022-11-28", "2026-03-10"];
    private int _used;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        await faults.GitHubHold.PassAsync(context.RequestAborted);
        var request = context.Request;
        var response = context.Response;
        var used = Interlocked.Increment(ref _used);
        response.Headers["x-github-request-id"] = $"{SandboxJson.RandomHex(4)}:{SandboxJson.RandomHex(6)}".ToUpperInvariant();
        response.Headers["x-ratelimit-limit"] = "5000";
        response.Headers["x-ratelimit-remaining"] = Math.Max(0, 5000 - used).ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-used"] = used.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-reset"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-resource"] = "core";

        if (faults.TakeGitHub() is { } fault)
        {
            if (fault.RetryAfterHeader is { } retryAfter)
            {
                response.Headers.RetryAfter = retryAfter;
            }

            await FaultResult(fault.StatusCode).ExecuteAsync(context);
            return;
        }

        if (faults.Random is { } random && random.Draw(RandomFaults.GitHub) is { } drawn)
        {
            await RandomFaultAsync(context, random, drawn);
            return;
        }

        if (string.IsNullOrWhiteSpace(request.Headers.UserAgent))
        {
            response.StatusCode = StatusCodes.Status403Forbidden;
            await response.WriteAsync("Request forbidden by administrative rules. Please make sure your request has a User-Agent header " +
                "(https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). " +
                "Check https://developer.github.com for other possible causes.\n");
            return;
        }

        var auth = request.Headers.Authorization.ToString();
        if (auth.Length == 0)
        {
            await GitHubErrors.Error(401, "Requires authentication").ExecuteAsync(context);
            return;
        }

        // The app's own calls carry its JWT, which their endpoints check; every other call a token.
        if (!GitHubAppEndpoints.TakesJwt(request.Path) && await RefusedAsync(context, access.Authenticate(auth)))
        {
            return;
        }

        var version = request.Headers["X-GitHub-Api-Version"].ToString();
        if (version.Length > 0 && !Versions.Contains(version))
        {
            await GitHubErrors.Error(400, $"Invalid API version provided: {version}.").ExecuteAsync(context);
            return;
        }

        response.Headers["x-github-api-version-selected"] = version.Length > 0 ? version : Versions[0];
        await next(context);
    }

    // An unknown or expired token is a 401; a token without the permission the endpoint needs is a 403 that names it
    // in X-Accepted-GitHub-Permissions, as GitHub does for fine-grained tokens and apps.
    private static async Task<bool> RefusedAsync(HttpContext context, Caller caller)
    {
        if (caller.Kind is CallerKind.Unknown or CallerKind.Expired)
        {
            await GitHubErrors.Error(401, "Bad credentials").ExecuteAsync(context);
            return true;
        }

        var path = context.Request.Path.Value ?? "";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is not ["github", "repos", _, _, ..])
        {
            return false;
        }

        var need = GitHubPermissionNeeds.For(context.Request.Method, "/" + string.Join('/', segments[4..]));
        if (caller.May(need))
        {
            return false;
        }

        context.Response.Headers["X-Accepted-GitHub-Permissions"] = need.ToString();
        var who = caller.Kind == CallerKind.Installation ? "integration" : "personal access token";
        await GitHubErrors.Error(403, $"Resource not accessible by {who}").ExecuteAsync(context);
        return true;
    }

    private static async Task RandomFaultAsync(HttpContext context, RandomFaults random, DrawnFault fault)
    {
        if (fault.Kind == FaultKind.Timeout)
            await random.HangAsync(context.RequestAborted);
        else if (fault.Kind == FaultKind.RateLimited)
            context.Response.Headers.RetryAfter = fault.RetryAfterHeader;
        if (!context.RequestAborted.IsCancellationRequested)
            await FaultResult(fault.StatusCode).ExecuteAsync(context);
    }

    private static IResult FaultResult(int status) => status switch
    {
        403 or 429 => GitHubErrors.Error(status,
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
            "If you reach out to GitHub Support for help, please include the request ID.",
            "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"),
        _ => GitHubErrors.Error(status, ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } p ? p : "Server Error"),
    };
}
