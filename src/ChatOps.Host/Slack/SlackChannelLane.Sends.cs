using ChatOps.Host.Http;

namespace ChatOps.Host.Slack;

internal sealed partial class SlackChannelLane
{
    /// <summary>Sends the longest-waiting card of this channel; false when none is left (the flusher then stops).</summary>
    private async Task<bool> SendNextAsync(CancellationToken cancellationToken)
    {
        if (Take() is not var (releaseId, slot, card, ts))
            return false;
        try
        {
            if (ts is not null)
                await api.UpdateAsync(card.Message(channelId, ts), cancellationToken);
            else
            {
                var posted = await api.PostMessageAsync(card.Message(channelId), cancellationToken);
                lock (_sync)
                    slot.Ts = posted.Ts;
                log.LogInformation("Posted release {ReleaseId}'s card again in Slack channel {ChannelId}: its message was gone", releaseId, channelId);
            }
            Shown(slot, card);
        }
        catch (SlackApiException e) when (e.Error == "message_not_found")
        {
            // Someone deleted the card: the next turn posts it anew, and the release learns the new ts at its next update.
            lock (_sync)
                slot.Ts = null;
            Requeue(slot, card, countAttempt: false);
        }
        catch (SlackApiException e) when (e.Error is "ratelimited" or "internal_error" or "fatal_error" or "service_unavailable")
        {
            var again = Requeue(slot, card, countAttempt: true);
            log.LogWarning("Slack answered {SlackError} for release {ReleaseId}'s card in channel {ChannelId}{Outcome}", e.Error, releaseId, channelId, again ? "; trying again" : "; giving up");
        }
        catch (SlackApiException e)
        {
            // Slack refused this card (channel gone, bot removed, bad blocks): sending it again would be refused too.
            log.LogError("Slack refused release {ReleaseId}'s card in channel {ChannelId}: {SlackError}", releaseId, channelId, e.Error);
        }
        catch (Exception e) when (e is OutsideCallException or HttpRequestException or TimeoutException)
        {
            var again = Requeue(slot, card, countAttempt: true);
            _next = clock.GetUtcNow() + TimeSpan.FromSeconds(2 * slot.Attempts);
            log.LogWarning("Could not update release {ReleaseId}'s card in Slack channel {ChannelId} ({Error}){Outcome}", releaseId, channelId, e.Message, again ? "; trying again" : "; giving up");
        }
        return true;
    }

    private (long ReleaseId, CardSlot Slot, SlackCard Card, string? Ts)? Take()
    {
        lock (_sync)
        {
            var next = _cards.Where(c => c.Value.Pending is not null).OrderBy(c => c.Value.Since).FirstOrDefault();
            if (next.Value is not { Pending: { } card } slot)
            {
                _flushing = false;
                return null;
            }
            slot.Pending = null;
            return (next.Key, slot, card, slot.Ts);
        }
    }

    private void Shown(CardSlot slot, SlackCard card)
    {
        lock (_sync)
        {
            slot.Shown = card;
            slot.Attempts = 0;
        }
    }

    // A newer card queued meanwhile wins over the one that failed.
    private bool Requeue(CardSlot slot, SlackCard card, bool countAttempt)
    {
        lock (_sync)
        {
            if (countAttempt && ++slot.Attempts >= MaxAttempts)
                return false;
            if (slot.Pending is null)
            {
                slot.Pending = card;
                slot.Since = ++_sequence;
            }
            return true;
        }
    }
}
