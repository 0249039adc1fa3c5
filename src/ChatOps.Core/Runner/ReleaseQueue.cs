using System.Collections.Concurrent;
using ChatOps.Core.Ports;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>
/// Work that commands start but do not wait for: advancing a release, starting an auto-rollback. Tracked so
/// the console (and tests) can wait until nothing runs, and stopped with the bot.
/// </summary>
/// <remarks>
/// The runner attaches itself as the one that advances releases: decisions enqueue releases, and the runner
/// (which also asks decisions to start auto-rollbacks) advances them, so neither needs the other at construction.
/// </remarks>
public sealed class ReleaseQueue(ILogger<ReleaseQueue> log) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly CancellationTokenSource _stopping = new();
    private Func<long, CancellationToken, Task>? _advance;
    private int _disposed;

    /// <summary>Cancelled when the bot stops.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public void Attach(Func<long, CancellationToken, Task> advance) => _advance = advance;

    /// <summary>Advances the release in the background.</summary>
    public void Enqueue(long releaseId)
    {
        var advance = _advance ?? throw new InvalidOperationException("No runner is attached to the release queue.");
        Run($"advance release {releaseId}", token => advance(releaseId, token));
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

    /// <summary>Completes when no release is being advanced (all are waiting, stopped or finished).</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        while (!_inFlight.IsEmpty)
            await Task.WhenAll(_inFlight.Keys).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _stopping.CancelAsync();
        try
        {
            await WhenIdleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            log.LogWarning("Releases were still running at shutdown; they resume at the next start");
        }
        _stopping.Dispose();
    }
}
