using System.Threading.Channels;

namespace ChatOps.Host.Slack;

/// <summary>
/// Where Slack's requests are handled after they were acknowledged: Slack wants an answer within 3 seconds, a
/// command may take longer. A few workers, so one slow command does not hold up a click; every failure is logged.
/// </summary>
public sealed class SlackWork(ILogger<SlackWork> log) : BackgroundService
{
    private const int Workers = 4;

    private readonly Channel<WorkItem> _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(500) { FullMode = BoundedChannelFullMode.Wait });

    /// <summary>False when the queue is full: the caller tells the person to try again.</summary>
    public bool TryEnqueue(string what, Func<CancellationToken, Task> work) => _queue.Writer.TryWrite(new WorkItem(what, work));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await item.Work(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    log.LogError(e, "Slack {Work} failed", item.What);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is still queued was acknowledged but not done; Slack shows nothing more.
        }
    }

    private sealed record WorkItem(string What, Func<CancellationToken, Task> Work);
}
