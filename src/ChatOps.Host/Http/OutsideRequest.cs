using Flurl.Http;

namespace ChatOps.Host.Http;

// Per-request hints for the resilience pipeline, carried on HttpRequestMessage.Options so they survive every retry.
public static class OutsideRequest
{
    private static readonly HttpRequestOptionsKey<bool> RateLimitsOnlyKey = new("ChatOps.RetryRateLimitsOnly");
    private static readonly HttpRequestOptionsKey<TimeSpan> AttemptTimeoutKey = new("ChatOps.AttemptTimeout");
    private static readonly HttpRequestOptionsKey<int[]> AnswersKey = new("ChatOps.Answers");

    // For calls that must not be repeated blindly (a migration run: a 5xx or a timeout may mean the command ran) and
    // for probes whose caller does its own repeating: only a 429, or a connection never made, is tried again.
    public static IFlurlRequest OnlyRetryRateLimits(this IFlurlRequest request) =>
        request.BeforeCall(call => call.HttpRequestMessage.Options.Set(RateLimitsOnlyKey, true));

    // Long-polling calls (Fly's /wait, exec) legitimately take longer than the default attempt timeout.
    public static IFlurlRequest WithAttemptTimeout(this IFlurlRequest request, TimeSpan timeout) =>
        request.BeforeCall(call => call.HttpRequestMessage.Options.Set(AttemptTimeoutKey, timeout));

    // Statuses the caller reads as an answer (404 "no such tag", 408 "not started yet"): never retried.
    public static IFlurlRequest Answers(this IFlurlRequest request, int[] statuses) =>
        statuses.Length == 0 ? request : request.BeforeCall(call => call.HttpRequestMessage.Options.Set(AnswersKey, statuses));

    internal static bool RetriesRateLimitsOnly(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(RateLimitsOnlyKey, out var value) && value;

    internal static TimeSpan? AttemptTimeoutOf(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(AttemptTimeoutKey, out var value) ? value : null;

    internal static bool IsAnswer(HttpRequestMessage? request, int status) =>
        request is not null && request.Options.TryGetValue(AnswersKey, out var statuses) && statuses.Contains(status);
}
