using ChatOps.Host.ChatLanes;
using ChatOps.Host.Http;

namespace ChatOps.Host.Slack;

/// <summary>
/// The lines waiting to go into the threads of one channel's cards. Slack takes about one post a second per channel,
/// and a deploy says a line or two per machine: the lines that gather while the channel's lane is busy go out
/// together, as one reply per thread, in the lane's turn beside the cards and the notices.
/// </summary>
/// <param name="inLaneTurn">Runs a send in the channel's turn, beside its cards and notices.</param>
internal sealed class SlackThreadReplies(string channelId, Func<Func<CancellationToken, Task>, CancellationToken, Task> inLaneTurn, ISlackApi api, TimeProvider clock, ILogger log)
    : IAsyncDisposable
{
    private const int MaxAttempts = 5;

    // Below the 4,000 characters Slack advises for a message's text; a line is at most about 3,000.
    private const int MaxReply = 3500;

    private readonly Lock _sync = new();
    private readonly List<(string ThreadTs, string Line)> _waiting = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _flusher = Task.CompletedTask;
    private bool _flushing;

    /// <summary>Queues a line for the thread of the card whose message is <paramref name="threadTs"/>.</summary>
    public void Add(string threadTs, string line)
    {
        bool start;
        lock (_sync)
        {
            _waiting.Add((threadTs, line));
            start = !_flushing;
            _flushing = true;
        }
        if (start)
            Volatile.Write(ref _flusher, Task.Run(FlushAsync));
    }

    private async Task FlushAsync()
    {
        var stopping = _stopping.Token;
        var attempts = 0;
        try
        {
            while (HasWaiting())
            {
                Reply? reply = null;
                try
                {
                    // Taken in the lane's turn, not before it: whatever arrived during the wait goes in the same reply.
                    await inLaneTurn(async ct =>
                    {
                        reply = Take();
                        await api.PostMessageAsync(new SlackMessage(channelId, reply.Text, ThreadTs: reply.ThreadTs), ct);
                    }, stopping);
                    attempts = 0;
                }
                // What Slack's errors do not explain goes on to the flusher's end, as a bug.
                catch (Exception e) when (reply is not null && !(e is OperationCanceledException && stopping.IsCancellationRequested)
                    && SlackChannelCards.Failure(e) is var failure and not CardFailure.Unknown)
                {
                    attempts = await FailedAsync(failure, e, reply, attempts, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            log.LogWarning("Stopped with thread replies still waiting for Slack channel {ChannelId}", channelId);
        }
        catch (Exception e)
        {
            // A bug: the next line starts a new flusher.
            lock (_sync)
                _flushing = false;
            log.LogError(e, "Thread replies for Slack channel {ChannelId} stopped", channelId);
        }
    }

    // Tried again like a card: a passing error in the next turn, an unreachable Slack after a growing backoff.
    private async Task<int> FailedAsync(CardFailure failure, Exception error, Reply reply, int attempts, CancellationToken stopping)
    {
        var again = failure is CardFailure.Transient or CardFailure.Unreachable && ++attempts < MaxAttempts;
        var slackError = (error as SlackApiException)?.Error ?? error.Message;
        if (!again)
        {
            log.LogError("Gave up replying in the thread of {ThreadTs} in Slack channel {ChannelId} ({SlackError}); {Lines} lines lost",
                reply.ThreadTs, channelId, slackError, reply.Lines.Count);
            return 0;
        }
        log.LogWarning("Could not reply in the thread of {ThreadTs} in Slack channel {ChannelId} ({SlackError}); trying again", reply.ThreadTs, channelId, slackError);
        PutBack(reply);
        if (failure == CardFailure.Unreachable)
            await Task.Delay(TimeSpan.FromSeconds(2 * attempts), clock, stopping);
        return attempts;
    }

    // False once nothing waits, and then the next line starts a new flusher.
    private bool HasWaiting()
    {
        lock (_sync)
        {
            _flushing = _waiting.Count > 0;
            return _flushing;
        }
    }

    // The oldest waiting line's thread, with every line waiting for it, as many as one reply holds.
    // Called only by the flusher, after HasWaiting said there is one.
    private Reply Take()
    {
        lock (_sync)
        {
            var threadTs = _waiting[0].ThreadTs;
            var lines = new List<string>();
            var length = 0;
            for (var i = 0; i < _waiting.Count; i++)
            {
                var (ts, line) = _waiting[i];
                if (ts != threadTs)
                    continue;
                if (lines.Count > 0 && length + line.Length + 1 > MaxReply)
                    break;
                lines.Add(line);
                length += line.Length + 1;
                _waiting.RemoveAt(i--);
            }
            return new Reply(threadTs, lines);
        }
    }

    // A reply that failed goes back in front: its lines are older than any that came since.
    private void PutBack(Reply reply)
    {
        lock (_sync)
            _waiting.InsertRange(0, reply.Lines.Select(line => (reply.ThreadTs, line)));
    }

    public async ValueTask DisposeAsync()
    {
        // The last lines of a stopping bot still go out, within reason (the lane's own wait comes after this one).
        var flusher = Volatile.Read(ref _flusher);
        await Task.WhenAny(flusher, Task.Delay(TimeSpan.FromSeconds(5), clock));
        await _stopping.CancelAsync();
        await Task.WhenAny(flusher, Task.Delay(TimeSpan.FromSeconds(1), clock));
        // _stopping stays undisposed, as in the card lane: a flusher that outlived the wait may still read it.
    }

    private sealed record Reply(string ThreadTs, IReadOnlyList<string> Lines)
    {
        public string Text => string.Join('\n', Lines);
    }
}
