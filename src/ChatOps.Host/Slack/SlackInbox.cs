using System.Text.Json.Nodes;
using ChatOps.Core.Chat;
using ChatOps.Core.Domain;
using ChatOps.Core.Rules;
using ChatOps.Host.Chat;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Slack;

/// <summary>
/// Slash commands, button clicks and mentions, whether they came over HTTP or Socket Mode. Each call only checks
/// and queues, so Slack gets its acknowledgement at once; the work runs on <see cref="SlackWork"/>. The dedupe
/// keys: the command's trigger_id (hashed), the click's action_ts and user, the event's event_id.
/// </summary>
public sealed partial class SlackInbox(
    ChatOpsBot bot, AccessRules rules, ISlackApi api, SlackSurface surface, SlackPeople people, SlackWork work, IOptions<SlackOptions> options,
    TimeProvider clock, ILogger<SlackInbox> log)
{
    private const int MaxAckLength = 120;

    private readonly TurnedAwayLog _turnedAway = new("Slack work queue", clock, log);

    /// <summary>A slash command (the HTTP form as JSON, or Socket Mode's payload); returns the immediate acknowledgement.</summary>
    public SlackReply OnCommand(JsonObject payload, string? envelopeId = null)
    {
        if (payload.Text("user_id") is not { } user || payload.Text("channel_id") is not { } channel || payload.Text("command") is not { } command)
            return new SlackReply("That did not look like a slash command.");
        if (!IsAllowed("command", channel))
            return new SlackReply("ChatOps does not take commands in this channel (see Slack:AllowedChannelIds).");
        var line = SlackCommandText.FromSlashCommand(command, payload.Text("text") ?? "");
        var updateId = payload.Text("trigger_id") is { } trigger ? "cmd:" + SlackCommandText.Hash(trigger)
            : envelopeId is not null ? "env:" + envelopeId : null;
        var incoming = new IncomingMessage(User(user), Channel(channel), line, updateId, Place(channel));
        var responseUrl = payload.Text("response_url");
        if (!work.TryEnqueue(Lane(channel), $"command {command} from {user}", ct => CommandAsync(incoming, responseUrl, ct), ct => LostAsync(responseUrl, line, ct)))
            return Busy(user);
        var ack = line.Length <= MaxAckLength ? line : line[..MaxAckLength] + "…";
        return new SlackReply($"⏳ On it: {SlackCardView.Escape(ack)}");
    }

    /// <summary>An interaction payload; only <c>block_actions</c> mean something, the other types are acknowledged and ignored.</summary>
    public void OnInteraction(JsonObject payload)
    {
        if (payload.Text("type") != "block_actions" || payload.Text("user", "id") is not { } user)
            return;
        if ((payload.Text("container", "channel_id") ?? payload.Text("channel", "id")) is not { } channel || !IsAllowed("click", channel))
            return;
        foreach (var action in payload["actions"] as JsonArray ?? [])
        {
            if (action.Text("value") is not { } token)
                continue;
            var updateId = action.Text("action_ts") is { } at ? $"act:{at}:{user}" : null;
            var press = new ButtonPress(User(user), Channel(channel), token, updateId, Place(channel));
            var responseUrl = payload.Text("response_url");
            if (!work.TryEnqueue(null, $"click from {user}", ct => PressAsync(press, responseUrl, ct), ct => LostAsync(responseUrl, "your button press", ct)))
                Busy(user);
        }
    }

    /// <summary>An Events API callback; <c>app_mention</c> carries a text command. A retry has the same event_id.</summary>
    public void OnEvent(JsonObject callback)
    {
        if (callback.Text("type") != "event_callback" || callback["event"] is not JsonObject e || e.Text("type") != "app_mention")
            return;
        // Bots mentioning us, edits and other subtypes are not commands from a person.
        if (e.Text("bot_id") is not null || e.Text("subtype") is not null || e.Text("user") is not { } user || e.Text("channel") is not { } channel)
            return;
        if (!IsAllowed("mention", channel))
            return;
        var incoming = new IncomingMessage(User(user), Channel(channel), SlackCommandText.FromMention(e.Text("text") ?? ""),
            callback.Text("event_id") is { } id ? "evt:" + id : null, Place(channel));
        var thread = e.Text("thread_ts") ?? e.Text("ts");
        if (!work.TryEnqueue(Lane(channel), $"mention from {user}", ct => MentionAsync(incoming, channel, thread, ct), ct => LostInThreadAsync(channel, thread, incoming.Text, ct)))
            Busy(user);
    }

    // Live, the core's stranger rules decide and answer (AccessRules.MayTalkIn); the sandbox keeps the quiet allow list.
    private bool IsAllowed(string what, string channel)
    {
        if (options.Value.Live || options.Value.IsAllowed(channel))
            return true;
        log.LogWarning("Ignored a Slack {What} from channel {ChannelId}: it is not in Slack:AllowedChannelIds", what, channel);
        return false;
    }

    private SlackReply Busy(string user)
    {
        _turnedAway.Add(user);
        return new SlackReply("ChatOps is busy; try again in a minute.");
    }

    // Direct-message channel ids start with D.
    private ChatPlace Place(string channel) => new(channel, channel.StartsWith('D'),
        options.Value.AllowedChannelIds.Contains(channel, StringComparer.Ordinal), options.Value.Live, "Slack:AllowedChannelIds");

    private static string Lane(string channel) => "channel:" + channel;

    private static ChatUser User(string id) => ChatUser.Of(SlackSurface.PlatformName, id);

    private static ChatChannel Channel(string id) => new(SlackSurface.PlatformName, id);
}
