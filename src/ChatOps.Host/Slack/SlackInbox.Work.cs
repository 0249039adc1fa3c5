using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using ChatOps.Host.Chat;

namespace ChatOps.Host.Slack;

public sealed partial class SlackInbox
{
    private async Task CommandAsync(IncomingMessage incoming, string? responseUrl, CancellationToken cancellationToken)
    {
        var reply = await HandleAsync("command", incoming, () => bot.HandleAsync(incoming, cancellationToken), cancellationToken);
        await RespondAsync(responseUrl, reply, cancellationToken);
    }

    // Refusals (and acceptances) go to the one who clicked only: the card itself shows what changed.
    private async Task PressAsync(ButtonPress press, string? responseUrl, CancellationToken cancellationToken)
    {
        var reply = await HandleAsync("click", press, () => bot.PressAsync(press, cancellationToken), cancellationToken);
        await RespondAsync(responseUrl, reply, cancellationToken);
    }

    private async Task MentionAsync(IncomingMessage incoming, string channel, string? thread, CancellationToken cancellationToken)
    {
        var reply = await HandleAsync("mention", incoming, () => bot.HandleAsync(incoming, cancellationToken), cancellationToken);
        if (reply.Text.Length == 0 || thread is null)
            return;
        try
        {
            await surface.ReplyInThreadAsync(channel, thread, Text(reply), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogWarning("Could not answer a Slack mention in channel {ChannelId}: {Error}", channel, e.Message);
        }
    }

    private async Task<BotReply> HandleAsync(string what, object request, Func<Task<BotReply>> handle, CancellationToken cancellationToken)
    {
        try
        {
            // Slack sends only the id: the name is asked for first, so that the card and the answer can show it; never
            // for someone the bot is about to refuse.
            var (user, place) = request switch { IncomingMessage m => (m.User, m.Place), ButtonPress p => (p.User, p.Place), _ => (null, null) };
            if (user is not null && rules.MayLookUp(user, place))
                await people.LearnAsync(user.Id[(user.Platform.Length + 1)..], cancellationToken);
            return await handle();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogError(e, "Slack {What} could not be handled: {Request}", what, request);
            return FailureReply.For(e);
        }
    }

    private async Task RespondAsync(string? responseUrl, BotReply reply, CancellationToken cancellationToken)
    {
        if (reply.Text.Length == 0 || responseUrl is null)
            return;
        try
        {
            await api.RespondAsync(responseUrl, new SlackReply(SlackCardView.Plain(Text(reply))), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogWarning("Could not answer through Slack's response_url: {Error}", e.Message);
        }
    }

    private static string LostText(string what) =>
        $"⚠️ ChatOps restarted before it finished {what}. Check /status, and send it again if it is still needed.";

    private Task LostAsync(string? responseUrl, string what, CancellationToken cancellationToken) =>
        RespondAsync(responseUrl, new BotReply(LostText(what.StartsWith('/') ? $"`{what}`" : what)), cancellationToken);

    private async Task LostInThreadAsync(string channel, string? thread, string what, CancellationToken cancellationToken)
    {
        if (thread is not null)
            await surface.ReplyInThreadAsync(channel, thread, LostText($"`{what}`"), cancellationToken);
    }

    private static string Text(BotReply reply) => reply.IsRefusal ? "⛔ " + reply.Text : reply.Text;
}
