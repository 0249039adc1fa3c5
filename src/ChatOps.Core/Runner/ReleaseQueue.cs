using System.Collections.Concurrent;
using System.Threading.Channels;
using ChatOps.Core.Store;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>
/// The runner's inbox: commands put in the releases to advance, and the runner's service reads them
/// (<see cref="ReleaseRunner.ServeAsync"/>). Also runs the work that commands and the runner start but do not wait
/// for (a rollback after a stop). Everything it runs is tracked, so the console and the tests can wait until nothing
/// runs, and stopped with the bot.
/// </summary>
public sealed class ReleaseQueue(ILogger<ReleaseQueue> log) : IAsyncDisposable
{
    private readonly Channel<long> _inbox = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _unread;
    private int _disposed;

    /// <summary>Cancelled when the bot stops.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Asks the runner to advance the release; never waits for it.</summary>
    public void Enqueue(long releaseId)
    {
        Interlocked.Increment(ref _unread);
        if (!_inbox.Writer.TryWrite(releaseId))
            Interlocked.Decrement(ref _unread);
    }

    /// <summary>The releases to advance, in the order asked, until the bot stops; for the runner alone.</summary>
    public async IAsyncEnumerable<long> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var releaseId in _inbox.Reader.ReadAllAsync(cancellationToken))
        {
            yield return releaseId;
            // Counted as read once its reader has handed it to Run, so "idle" never sees a gap between the two.
            Interlocked.Decrement(ref _unread);
        }
    }

    /// <summary>Runs work in the background, outside the chat update that started it; a failure is logged, never lost.</summary>
    public void Run(string what, Func<CancellationToken, Task> work)
    {
        var task = Task.Run(async () =>
        {
            UpdateReceipt.Detach();
            try
            {
                await work(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Stopping; unfinished releases resume at the next start.
            }
            catch (Exception e)
            {
                log.LogError(e, "Background work failed: {Work}", what);
            }
        });
        _inFlight.TryAdd(task, 0);
        task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Completes when nothing waits in the inbox and nothing runs (every release is waiting, stopped or finished).</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _unread) > 0 || !_inFlight.IsEmpty)
        {
            if (_inFlight.IsEmpty)
                await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
            else
                await Task.WhenAll(_inFlight.Keys).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _inbox.Writer.TryComplete();
        await _stopping.CancelAsync();
        try
        {
            await WhenRunningEndsAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            log.LogWarning("Releases were still running at shutdown; they resume at the next start");
        }
        _stopping.Dispose();
    }

    // At shutdown what is still unread stays unread: those releases resume at the next start.
    private async Task WhenRunningEndsAsync()
    {
        while (!_inFlight.IsEmpty)
            await Task.WhenAll(_inFlight.Keys).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
