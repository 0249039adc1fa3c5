using ChatOps.Host.ChatLanes;
using ChatOps.Host.Http;

namespace ChatOps.Host.Slack;

/// <summary>
/// One Slack channel as a card platform: chat.postMessage and chat.update for its <see cref="CardLane{TId, TCard}"/>
/// and what Slack's errors mean. Slack allows about one post a second per channel, so the lane spaces the calls by
/// the update interval (a 429 is waited out by the client).
/// </summary>
internal sealed class SlackChannelCards(string channelId, ISlackApi api, ILogger log) : ICardPlatform<string, SlackCard>
{
    public async Task<string> PostAsync(SlackCard card, CancellationToken cancellationToken) =>
        (await api.PostMessageAsync(card.Message(channelId), cancellationToken)).Ts;

    public Task EditAsync(string id, SlackCard card, CancellationToken cancellationToken) =>
        api.UpdateAsync(card.Message(channelId, id), cancellationToken);

    // The client waits out HTTP 429 and ok:false ratelimited itself; what still arrives here counts as an attempt.
    public TimeSpan? RetryAfter(Exception error) => null;

    public CardFailure Classify(Exception error) => Failure(error);

    /// <summary>What a failed post means, for a card as for a reply in its thread.</summary>
    public static CardFailure Failure(Exception error) => error switch
    {
        SlackApiException { Error: "message_not_found" } => CardFailure.Gone,
        SlackApiException { Error: "ratelimited" or "internal_error" or "fatal_error" or "service_unavailable" } => CardFailure.Transient,
        // Channel gone, bot removed, bad blocks.
        SlackApiException => CardFailure.Refused,
        OutsideCallException or HttpRequestException or TimeoutException => CardFailure.Unreachable,
        _ => CardFailure.Unknown,
    };

    public void LogRetrying(Exception error)
    {
        // Never called: RetryAfter is always null, since the client already waited out Slack's rate limits.
    }

    public void LogReposted(long releaseId) =>
        log.LogInformation("Posted release {ReleaseId}'s card again in Slack channel {ChannelId}: its message was gone", releaseId, channelId);

    public void LogFailed(CardFailure failure, Exception error, long releaseId, bool again)
    {
        var outcome = again ? "; trying again" : "; giving up";
        if (failure == CardFailure.Transient)
            log.LogWarning("Slack answered {SlackError} for release {ReleaseId}'s card in channel {ChannelId}{Outcome}", SlackError(error), releaseId, channelId, outcome);
        else if (failure == CardFailure.Refused)
            log.LogError("Slack refused release {ReleaseId}'s card in channel {ChannelId}: {SlackError}", releaseId, channelId, SlackError(error));
        else
            log.LogWarning("Could not update release {ReleaseId}'s card in Slack channel {ChannelId} ({Error}){Outcome}", releaseId, channelId, error.Message, outcome);
    }

    public void LogStopped() => log.LogWarning("Stopped with card updates still waiting for Slack channel {ChannelId}", channelId);

    public void LogCrashed(Exception error) => log.LogError(error, "Card updates for Slack channel {ChannelId} stopped", channelId);

    private static string? SlackError(Exception error) => (error as SlackApiException)?.Error;
}
