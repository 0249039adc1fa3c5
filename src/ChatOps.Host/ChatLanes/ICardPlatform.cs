namespace ChatOps.Host.ChatLanes;

/// <summary>
/// What a <see cref="CardLane{TId, TCard}"/> needs from one chat or channel of a platform: its API calls, what its
/// errors mean, and its log lines (each platform keeps its own wording and structured properties).
/// </summary>
internal interface ICardPlatform<TId, TCard>
    where TId : notnull
{
    /// <summary>Posts the card as a new message; returns the message's id.</summary>
    Task<TId> PostAsync(TCard card, CancellationToken cancellationToken);

    /// <summary>Replaces the content of the card's message.</summary>
    Task EditAsync(TId id, TCard card, CancellationToken cancellationToken);

    /// <summary>
    /// How long to wait before the call is tried again in the lane (a rate limit's retry-after, or a pause after a passing
    /// server error the platform's client does not retry itself); null when the lane should not try it again.
    /// </summary>
    TimeSpan? RetryAfter(Exception error);

    /// <summary>What a failed post or edit of a queued card means for that card.</summary>
    CardFailure Classify(Exception error);

    /// <summary>A call (a first post, a reply) that <see cref="RetryAfter"/> allows again is tried again in its next turn.</summary>
    void LogRetrying(Exception error);

    /// <summary>A card whose message was gone was posted again.</summary>
    void LogReposted(long releaseId);

    /// <summary>A queued card failed; <paramref name="again"/> says whether it stays queued.</summary>
    void LogFailed(CardFailure failure, Exception error, long releaseId, bool again);

    /// <summary>The lane was disposed with cards still waiting.</summary>
    void LogStopped();

    /// <summary>The flusher failed on something <see cref="Classify"/> did not know (a bug).</summary>
    void LogCrashed(Exception error);
}

/// <summary>What the lane does with a queued card whose post or edit failed.</summary>
internal enum CardFailure
{
    /// <summary>Not a failure the platform knows: it propagates and stops the flusher.</summary>
    Unknown,

    /// <summary>The edit changed nothing: the card counts as shown.</summary>
    NotModified,

    /// <summary>The message was deleted: the card is posted anew in a later turn.</summary>
    Gone,

    /// <summary>A rate limit: the card waits for the platform's retry-after, without counting an attempt.</summary>
    RateLimited,

    /// <summary>Refused for good (bad content, chat gone, bot removed): sending it again would be refused too.</summary>
    Refused,

    /// <summary>A passing platform error: tried again in the next turn, a limited number of times.</summary>
    Transient,

    /// <summary>The call did not get through (network, timeout): tried again after a growing backoff, a limited number of times.</summary>
    Unreachable,
}

/// <summary>A card as the lane compares it: an unchanged card costs no edit.</summary>
internal interface ICardContent<in TCard>
{
    bool SameAs(TCard? other);
}

/// <summary>The id of a card's message once it is on screen; a struct so that "not posted yet" is null for any id type.</summary>
internal readonly record struct CardId<TId>(TId Id);
