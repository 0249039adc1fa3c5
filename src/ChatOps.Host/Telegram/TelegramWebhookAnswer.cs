using Telegram.Bot.Requests;

namespace ChatOps.Host.Telegram;

/// <summary>
/// The answer to one webhook delivery, handed between the request that waits for it and the work in the inbox. The
/// request waits a short budget: a reply ready by then rides on the answer; after that the request has answered
/// (200, nothing in it) and the work sends its reply through the API itself. Either side may be first: whichever
/// settles the answer under the lock decides, so a reply is never both carried and sent, nor neither.
/// </summary>
public sealed class TelegramWebhookAnswer
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TelegramWebhookReply? _reply;
    private bool _answered;

    /// <summary>Whether a reply may still ride on the answer; false once the request answered without one.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_gate)
                return !_answered && _reply is null;
        }
    }

    /// <summary>
    /// Puts the reply in the answer; false when the request already answered, and the caller sends it through the API.
    /// <paramref name="sendInstead"/> is how the request sends it when the answer cannot be delivered.
    /// </summary>
    public bool TryCarry(SendMessageRequest request, Func<CancellationToken, Task> sendInstead)
    {
        lock (_gate)
        {
            if (_answered || _reply is not null)
                return false;
            _reply = new TelegramWebhookReply(request, sendInstead);
        }
        _settled.TrySetResult();
        return true;
    }

    /// <summary>The work ended (with or without a reply for the answer): the request need not wait any longer.</summary>
    public void Finish() => _settled.TrySetResult();

    /// <summary>Waits for the work at most <paramref name="budget"/>; the reply to carry, or null to answer 200 alone.</summary>
    public async Task<TelegramWebhookReply?> SettleAsync(TimeSpan budget, TimeProvider clock, CancellationToken aborted)
    {
        try
        {
            await _settled.Task.WaitAsync(budget, clock, aborted);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Past the budget, or Telegram hung up: the work answers through the API from now on.
        }
        lock (_gate)
        {
            _answered = true;
            return _reply;
        }
    }
}
