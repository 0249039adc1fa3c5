using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatOps.Sandbox;

// What every GitHub call passes before it reaches an endpoint: injected faults, User-Agent, token, version and
// the headers GitHub sends on every response.
internal sealed class GitHubGate(SandboxOptions options, SandboxFaults faults)
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

        if (auth != "Bearer " + options.GitHubToken && auth != "token " + options.GitHubToken)
        {
            await GitHubErrors.Error(401, "Bad credentials").ExecuteAsync(context);
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
