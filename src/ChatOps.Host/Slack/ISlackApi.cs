using System.Text.Json.Nodes;

namespace ChatOps.Host.Slack;

/// <summary>
/// The part of Slack's Web API the bot uses. Shaped after SlackNet (<c>Chat.PostMessage</c>, <c>Chat.Update</c>,
/// <c>AppsConnectionsOpen</c>, <c>Respond</c>) so that it could stand behind this interface one day.
/// Every method throws <see cref="SlackApiException"/> when Slack answers <c>ok:false</c>.
/// </summary>
public interface ISlackApi
{
    Task<SlackPosted> PostMessageAsync(SlackMessage message, CancellationToken cancellationToken);

    Task UpdateAsync(SlackMessage message, CancellationToken cancellationToken);

    /// <summary><c>apps.connections.open</c> with the app token: a fresh, short-lived Socket Mode URL.</summary>
    Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>A reply through a slash command's or a click's <c>response_url</c>.</summary>
    Task RespondAsync(string responseUrl, SlackReply reply, CancellationToken cancellationToken);

    /// <summary><c>auth.test</c>: the id of the workspace (team) the bot token belongs to.</summary>
    Task<string> TeamIdAsync(CancellationToken cancellationToken);

    /// <summary><c>users.info</c> (scope <c>users:read</c>): the person behind a user id, by the name people see.</summary>
    Task<SlackUser> UserInfoAsync(string userId, CancellationToken cancellationToken);
}

/// <summary>A workspace member as <c>users.info</c> describes them: the id and the name to show (empty when Slack has none).</summary>
public sealed record SlackUser(string Id, string Name);

/// <summary>A message to post (no <see cref="Ts"/>) or to update (its <see cref="Ts"/>). Text is the notification fallback.</summary>
public sealed record SlackMessage(string Channel, string Text, JsonArray? Blocks = null, string? Ts = null, string? ThreadTs = null)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["channel"] = Channel, ["text"] = Text };
        if (Blocks is not null)
            json["blocks"] = Blocks.DeepClone();
        if (Ts is not null)
            json["ts"] = Ts;
        if (ThreadTs is not null)
            json["thread_ts"] = ThreadTs;
        return json;
    }
}

/// <summary>Where a posted message landed: the pair that identifies it for chat.update.</summary>
public sealed record SlackPosted(string Channel, string Ts);

public sealed record SlackReply(string Text, bool Ephemeral = true)
{
    public JsonObject ToJson() => new()
    {
        ["response_type"] = Ephemeral ? "ephemeral" : "in_channel",
        ["text"] = Text,
        ["replace_original"] = false,
    };
}

/// <summary>Slack answered <c>ok:false</c>; <see cref="Error"/> is its error code (<c>channel_not_found</c>, ...).</summary>
public sealed class SlackApiException(string method, string error, string? needed = null)
    : Exception($"Slack {method} answered {error}{(needed is null ? "" : $" (needs scope {needed})")}")
{
    public string Method { get; } = method;

    public string Error { get; } = error;
}
