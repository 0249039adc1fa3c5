using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

// Socket Mode: apps.connections.open hands out a one-time ws:// URL; the connection gets hello, then envelopes that
// the bot must ack with their envelope_id. Tests can ask the bot to reconnect (disconnect) or cut it off (drop).
public sealed partial class SlackSimulator
{
    private static readonly TimeSpan AckDeadline = TimeSpan.FromSeconds(3);
    private readonly HashSet<string> _tickets = [];
    private readonly List<SlackSocketLink> _links = [];
    private int _socketsOpened;

    public int SocketsOpened => Volatile.Read(ref _socketsOpened);

    public bool HasLiveSocket
    {
        get
        {
            lock (_gate)
                return _links.Any(l => l.IsLive);
        }
    }

    // Sends `disconnect` on every connection, as Slack does before it rotates one. True when the bot closed them all
    // itself; a connection still open after a few seconds is cut, as Slack would.
    public async Task<bool> DisconnectAsync(string reason = "refresh_requested")
    {
        var closedByBot = true;
        foreach (var link in Links())
        {
            link.Retiring = true;
            try
            {
                await link.SendAsync(new JsonObject { ["type"] = "disconnect", ["reason"] = reason, ["debug_info"] = new JsonObject { ["host"] = "sandbox" } });
            }
            catch (WebSocketException)
            {
                continue; // already gone
            }
            if (await Task.WhenAny(link.Ended, Task.Delay(TimeSpan.FromSeconds(5))) != link.Ended)
            {
                closedByBot = false;
                link.Abort();
            }
        }
        return closedByBot;
    }

    // Cuts every connection without a word, as a network failure would.
    public void DropSockets()
    {
        foreach (var link in Links())
        {
            link.Retiring = true;
            link.Abort();
        }
    }

    private void AbortSockets() => DropSockets();

    private List<SlackSocketLink> Links()
    {
        lock (_gate)
            return [.. _links];
    }

    private JsonObject OpenConnection()
    {
        var ticket = NextId("ticket-");
        lock (_gate)
            _tickets.Add(ticket);
        var url = new UriBuilder(BaseUrl) { Scheme = "ws", Path = "link", Query = $"ticket={ticket}&app_id=A0CHATOPS" };
        return new JsonObject { ["ok"] = true, ["url"] = url.Uri.ToString() };
    }

    private async Task LinkAsync(HttpContext context)
    {
        var ticket = context.Request.Query["ticket"].ToString();
        bool known;
        lock (_gate)
            known = _tickets.Remove(ticket);
        if (!context.WebSockets.IsWebSocketRequest || !known)
        {
            context.Response.StatusCode = known ? 400 : 401;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var link = new SlackSocketLink(socket);
        var receiving = link.ReceiveAsync(context.RequestAborted);
        await link.SendAsync(new JsonObject
        {
            ["type"] = "hello",
            ["num_connections"] = Links().Count + 1,
            ["connection_info"] = new JsonObject { ["app_id"] = "A0CHATOPS" },
        });
        lock (_gate)
            _links.Add(link);
        Interlocked.Increment(ref _socketsOpened);
        try
        {
            await receiving;
        }
        finally
        {
            lock (_gate)
                _links.Remove(link);
        }
    }

    // Slack redelivers an events_api envelope that was not acknowledged, with retry_attempt; other kinds are sent once.
    private async Task<SlackDelivery> SendEnvelopeAsync(string type, JsonObject payload, string? hookId, string? eventId, int firstAttempt = 0)
    {
        var started = Stopwatch.StartNew();
        var attempts = type == "events_api" ? 4 : 1;
        for (var attempt = firstAttempt; attempt < firstAttempt + attempts; attempt++)
        {
            var link = await LiveLinkAsync();
            var id = Guid.NewGuid().ToString();
            var ack = link.Expect(id);
            try
            {
                await link.SendAsync(new JsonObject
                {
                    ["envelope_id"] = id,
                    ["type"] = type,
                    ["accepts_response_payload"] = type == "slash_commands",
                    ["retry_attempt"] = attempt,
                    ["retry_reason"] = attempt == 0 ? "" : "timeout",
                    ["payload"] = payload.DeepClone(),
                });
                var acked = await ack.WaitAsync(AckDeadline);
                return new SlackDelivery(200, acked["payload"]?.DeepClone(), hookId, started.Elapsed, _clock.Elapsed, eventId);
            }
            catch (Exception e) when (e is TimeoutException or WebSocketException or OperationCanceledException)
            {
                // Not acknowledged in time, or the connection went away under it.
            }
        }
        return new SlackDelivery(0, null, hookId, started.Elapsed, _clock.Elapsed, eventId);
    }

    // Waits for the bot to be connected (after a disconnect, for its new connection).
    private async Task<SlackSocketLink> LiveLinkAsync()
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            lock (_gate)
            {
                if (_links.LastOrDefault(l => l.IsLive) is { } link)
                    return link;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException("The bot has no Socket Mode connection open.");
    }
}
