using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

// One Socket Mode connection from the bot: sends are serialized, acks are matched to envelopes by envelope_id.
// The semaphore is never disposed: a send racing the end of the connection then fails as a WebSocketException.
internal sealed class SlackSocketLink(WebSocket socket)
{
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Told to disconnect: no new envelope goes here, the bot is expected to open another connection.
    public bool Retiring { get; set; }

    public bool IsLive => !Retiring && !_ended.Task.IsCompleted && socket.State == WebSocketState.Open;

    public Task Ended => _ended.Task;

    public async Task SendAsync(JsonObject message, CancellationToken cancellationToken = default)
    {
        await _send.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            _send.Release();
        }
    }

    public Task<JsonObject> Expect(string envelopeId)
    {
        var ack = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[envelopeId] = ack;
        return ack.Task;
    }

    // Reads acks until the bot closes the connection or it breaks; then every envelope still waiting fails.
    public async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var frame = await socket.ReceiveAsync(buffer, cancellationToken);
                if (frame.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                    break;
                }
                message.Write(buffer, 0, frame.Count);
                if (!frame.EndOfMessage)
                    continue;
                var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                message.SetLength(0);
                if (JsonNode.Parse(text) is JsonObject ack && (string?)ack["envelope_id"] is { } id && _pending.TryRemove(id, out var waiting))
                    waiting.TrySetResult(ack);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or System.Text.Json.JsonException)
        {
            // A dropped or aborted connection: what was not acknowledged fails below.
        }
        finally
        {
            _ended.TrySetResult();
            foreach (var waiting in _pending.Values)
                waiting.TrySetException(new WebSocketException("the Socket Mode connection closed before the ack"));
        }
    }

    public void Abort() => socket.Abort();
}
