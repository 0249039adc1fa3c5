using System.Globalization;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ChatOps.Host.Http;

// Total timeout around retries around a per-attempt timeout: Polly runs strategies in the order they are added.
internal static class OutsideCallPipeline
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, OutsideCallOptions options, ILogger logger, TimeProvider time)
    {
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = "total",
            // A long attempt (a 5-minute migration) gets the usual budget for its retries on top.
            TimeoutGenerator = args => ValueTask.FromResult(options.TotalTimeout + (OutsideRequest.AttemptTimeoutOf(args.Context.GetRequestMessage()) ?? TimeSpan.Zero)),
        });

        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.GetRequestMessage())),
                DelayGenerator = args => ValueTask.FromResult(ServerDelay(args.Outcome.Result, options.MaxRetryDelay, time)),
                OnRetry = args =>
                {
                    var request = args.Context.GetRequestMessage();
                    logger.LogWarning("Retrying {Method} {Host}{Path} after {Delay} ({Status})",
                        request?.Method.Method, request?.RequestUri?.Authority, CredentialPaths.Of(request?.RequestUri), args.RetryDelay, Describe(args.Outcome));
                    return default;
                },
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = "attempt",
            TimeoutGenerator = args => ValueTask.FromResult(OutsideRequest.AttemptTimeoutOf(args.Context.GetRequestMessage()) ?? options.AttemptTimeout),
        });
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request)
    {
        var anyFailure = !OutsideRequest.RetriesRateLimitsOnly(request);
        if (outcome.Result is { } response)
        {
            var status = (int)response.StatusCode;
            if (OutsideRequest.IsAnswer(request, status))
            {
                return false;
            }

            // 429, and GitHub's secondary rate limit (403 with Retry-After), mean "not done, come back later".
            if (status == 429 || (status == 403 && response.Headers.RetryAfter is not null))
            {
                return true;
            }

            return anyFailure && (status == 408 || status >= 500);
        }

        return outcome.Exception switch
        {
            // The connection was never made, so nothing reached the server.
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
            HttpRequestException or TimeoutRejectedException => anyFailure,
            _ => false,
        };
    }

    // Retry-After as seconds or as a date; GitHub's x-ratelimit-reset when the quota is spent. Null: use backoff.
    internal static TimeSpan? ServerDelay(HttpResponseMessage? response, TimeSpan cap, TimeProvider time)
    {
        if (response is null)
        {
            return null;
        }

        TimeSpan? delay = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow(),
            _ => null,
        };
        if (delay is null && response.Headers.TryGetValues("x-ratelimit-remaining", out var remaining) && remaining.FirstOrDefault() == "0"
            && response.Headers.TryGetValues("x-ratelimit-reset", out var reset)
            && long.TryParse(reset.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            delay = DateTimeOffset.FromUnixTimeSeconds(epoch) - time.GetUtcNow();
        }

        return delay is { } d ? TimeSpan.FromTicks(Math.Clamp(d.Ticks, 0, cap.Ticks)) : null;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response
            ? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)
            : outcome.Exception?.GetType().Name ?? "unknown";
}
