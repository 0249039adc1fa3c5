using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Slack;

/// <summary>
/// Socket Mode: a WebSocket that Slack pushes commands, clicks and events into, so the bot needs no public URL.
/// Every envelope is acknowledged with its envelope_id; a <c>disconnect</c> message or a dropped connection
/// leads to a fresh URL from apps.connections.open and a new socket. Slack being down never stops the bot.
/// </summary>
public sealed class SlackReceiver(
    ISlackApi api, SlackInbox inbox, SlackWorkspace workspace, SlackSocketHealth health, IOptions<SlackOptions> options, TimeProvider clock, ILogger<SlackReceiver> log) : BackgroundService
{
    private const int MaxMessage = 4 << 20;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = FirstPause;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var url = await api.OpenConnectionAsync(stoppingToken);
                using var socket = new ClientWebSocket();
                // WebSocket pings every 30 s; no pong within 10 s aborts the socket, so a dead peer is noticed.
                socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
                socket.Options.KeepAliveTimeout = TimeSpan.FromSeconds(10);
                using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    connecting.CancelAfter(ConnectTimeout);
                    try
                    {
                        await socket.ConnectAsync(url, connecting.Token);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        throw new TimeoutException($"the Socket Mode connection did not open within {ConnectTimeout.TotalSeconds:0} s");
                    }
                }
                var (reason, greeted) = await ReceiveAsync(socket, stoppingToken);
                health.Set("reconnecting", reason);
                await CloseAsync(socket);
                if (greeted)
                {
                    // A working connection that Slack rotates: straight to the next one.
                    log.LogInformation("Slack Socket Mode connection ended ({Reason}); opening a new one", reason);
                    pause = FirstPause;
                    continue;
                }
                log.LogWarning("Slack Socket Mode connection ended before its hello ({Reason}); reconnecting in {Pause}", reason, pause);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                health.Set("reconnecting", e.Message);
                // The message never holds the URL's ticket: neither ClientWebSocket nor our client puts it there.
                log.LogWarning("Slack Socket Mode failed ({Error}); reconnecting in {Pause}", e.Message, pause);
            }
            try
            {
                await Task.Delay(pause, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            pause = pause * 2 < MaxPause ? pause * 2 : MaxPause;
        }
    }

    /// <summary>Reads until Slack says disconnect or the socket closes; returns why, and whether Slack said hello.</summary>
    private async Task<(string Reason, bool Greeted)> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var greeted = false;
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        var silence = options.Value.SocketSilence;
        while (true)
        {
            // Slack sends something (an envelope, a disconnect warning) well within this interval on a live
            // connection; nothing at all means a half-open socket that the keep-alive has not caught yet.
            ValueWebSocketReceiveResult frame;
            using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                quiet.CancelAfter(silence);
                try
                {
                    frame = await socket.ReceiveAsync(buffer.AsMemory(), quiet.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return ($"nothing arrived for {silence}", greeted);
                }
            }
            if (frame.MessageType == WebSocketMessageType.Close)
                return ($"closed by Slack: {socket.CloseStatus} {socket.CloseStatusDescription}", greeted);
            message.Write(buffer, 0, frame.Count);
            if (message.Length > MaxMessage)
                return ("a message over 4 MB", greeted);
            if (!frame.EndOfMessage)
                continue;
            var json = SlackJson.ParseObject(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
            message.SetLength(0);
            switch (json?.Text("type"))
            {
                case null:
                    log.LogWarning("Ignored a Socket Mode message that is not a JSON object with a type");
                    break;
                case "hello":
                    greeted = true;
                    health.Set("connected");
                    log.LogInformation("Slack Socket Mode connected");
                    break;
                case "disconnect":
                    return ($"disconnect: {json.Text("reason") ?? "no reason"}", greeted);
                default:
                    await OnEnvelopeAsync(socket, json, cancellationToken);
                    break;
            }
        }
    }

    // The ack goes first thing after the envelope is queued: Slack redelivers what is not acknowledged in 3 s.
    private async Task OnEnvelopeAsync(ClientWebSocket socket, JsonObject envelope, CancellationToken cancellationToken)
    {
        if (envelope.Text("envelope_id") is not { } id)
            return;
        var ack = new JsonObject { ["envelope_id"] = id };
        var payload = envelope["payload"] as JsonObject;
        // Another workspace's envelope is acknowledged, so Slack does not send it again, and otherwise ignored.
        if (payload is not null && envelope.Text("type") is "slash_commands" or "interactive" or "events_api"
            && !await workspace.AdmitsAsync(envelope.Text("type")!, payload, cancellationToken))
            payload = null;
        switch (envelope.Text("type"))
        {
            case "slash_commands" when payload is not null:
                var reply = inbox.OnCommand(payload, id);
                if (envelope.Flag("accepts_response_payload"))
                    ack["payload"] = reply.ToJson();
                break;
            case "interactive" when payload is not null:
                inbox.OnInteraction(payload);
                break;
            case "events_api" when payload is not null:
                inbox.OnEvent(payload);
                break;
            default:
                log.LogDebug("Acknowledged a Socket Mode envelope of type {Type} without handling it", envelope.Text("type"));
                break;
        }
        await socket.SendAsync(Encoding.UTF8.GetBytes(ack.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    private async Task CloseAsync(ClientWebSocket socket)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            log.LogDebug("Closing the old Socket Mode connection failed: {Error}", e.Message);
        }
    }
}
