using System.Collections.Concurrent;
using ChatOps.Core.Domain;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Slack;

/// <summary>
/// Learns the names of the people who talk to the bot on Slack, whose updates carry only ids: one <c>users.info</c>
/// per person and hour at most, remembered in <see cref="People"/>. A name is a courtesy, so a Slack that does not
/// answer (or a token without <c>users:read</c>) costs one short wait and leaves the id on the card; it is asked
/// again only after a while.
/// </summary>
public sealed class SlackPeople(ISlackApi api, People people, IOptions<SlackOptions> options, TimeProvider clock, ILogger<SlackPeople> log)
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromHours(1);
    public static readonly TimeSpan FailedFor = TimeSpan.FromMinutes(5);
    private const int MaxAsked = 5_000;

    // When each id may be asked again; bounded, as strangers may write too.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _askAgainAt = new(StringComparer.Ordinal);

    public async Task LearnAsync(string userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_askAgainAt.TryGetValue(userId, out var again) && now < again)
            return;
        Forget(now);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // One attempt's time for the whole lookup, retries included: the command waits behind it.
        budget.CancelAfter(options.Value.Timeout);
        try
        {
            var user = await api.UserInfoAsync(userId, budget.Token);
            people.Remember(ChatUser.Of(SlackSurface.PlatformName, userId), user.Name, null);
            Remember(userId, now + FreshFor);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            log.LogInformation("Slack users.info did not name {SlackUserId}; the id is shown instead: {Error}", userId, e.Message);
            Remember(userId, now + FailedFor);
        }
    }

    private void Remember(string userId, DateTimeOffset askAgainAt)
    {
        if (_askAgainAt.Count < MaxAsked || _askAgainAt.ContainsKey(userId))
            _askAgainAt[userId] = askAgainAt;
    }

    private void Forget(DateTimeOffset now)
    {
        if (_askAgainAt.Count < MaxAsked)
            return;
        foreach (var (id, at) in _askAgainAt)
        {
            if (at <= now)
                _askAgainAt.TryRemove(id, out _);
        }
    }
}
