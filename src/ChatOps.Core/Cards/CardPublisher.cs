using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Cards;

/// <summary>Shows a release's card on the platform it was started from, editing the message it is already in.</summary>
public sealed class CardPublisher(IEnumerable<IChatSurface> surfaces, RestingCards resting, ILogger<CardPublisher> log)
{
    private readonly Dictionary<string, IChatSurface> _surfaces = surfaces.ToDictionary(s => s.Platform, StringComparer.OrdinalIgnoreCase);

    public Task<ReleaseCard> RenderAsync(Release release, CancellationToken cancellationToken) => resting.RenderAsync(release, cancellationToken);

    /// <summary>
    /// Shows or edits the card; true when it now lives in a new message, whose id the caller (holding the
    /// release's lease) saves. A chat that is down must not stop a release, so failures are logged, not thrown.
    /// </summary>
    public async Task<bool> PublishAsync(Release release, CancellationToken cancellationToken)
    {
        if (release.Channel is not { } channel || !_surfaces.TryGetValue(channel.Platform, out var surface))
            return false;
        try
        {
            var card = await RenderAsync(release, cancellationToken);
            var messageId = await surface.ShowCardAsync(channel, release.CardMessageId, card, cancellationToken);
            if (messageId is null || messageId == release.CardMessageId)
                return false;
            release.CardMessageId = messageId;
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Could not show the card of release {ReleaseId} on {Platform}", release.Id, channel.Platform);
            return false;
        }
    }

    /// <summary>Posts a plain message in the release's chat (a closing line); failures are logged, not thrown.</summary>
    public Task SayAsync(Release release, string text, CancellationToken cancellationToken) =>
        TellAsync(release.Channel, (surface, channel) => surface.SayAsync(channel, text, cancellationToken), "tell", release.Id);

    /// <summary>Posts a new message in a given chat (where a button was pressed); failures are logged, not thrown.</summary>
    public Task NotifyAsync(ChatChannel channel, Notice notice, CancellationToken cancellationToken) =>
        TellAsync(channel, (surface, c) => surface.NotifyAsync(c, notice, cancellationToken), "post a notice on", null);

    /// <summary>Posts a new message that calls people; like a card, a chat that is down does not stop the release.</summary>
    public Task NotifyAsync(Release release, Notice notice, CancellationToken cancellationToken) =>
        TellAsync(release.Channel, (surface, channel) => surface.NotifyAsync(channel, notice, cancellationToken), "notify", release.Id);

    /// <summary>
    /// A step's detail beside its release's card, which must have a message by then. Like a card, a chat that is
    /// down does not stop the release.
    /// </summary>
    public Task ShowDetailAsync(Release release, StepDetail detail, CancellationToken cancellationToken) =>
        release.CardMessageId is not { } card
            ? Task.CompletedTask
            : TellAsync(release.Channel, (surface, channel) => surface.ShowDetailAsync(channel, card, detail, cancellationToken), "show a detail on", release.Id);

    // Every message beside the card: to the chat's platform if this bot speaks it, and a chat that is down is logged.
    private async Task TellAsync(ChatChannel? channel, Func<IChatSurface, ChatChannel, Task> tell, string what, long? releaseId)
    {
        if (channel is null || !_surfaces.TryGetValue(channel.Platform, out var surface))
            return;
        try
        {
            await tell(surface, channel);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Could not {What} {Platform} (release {ReleaseId})", what, channel.Platform, releaseId);
        }
    }
}
