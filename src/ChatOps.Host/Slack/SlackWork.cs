using ChatOps.Host.Chat;

namespace ChatOps.Host.Slack;

/// <summary>
/// Where Slack's requests are handled after they were acknowledged: Slack wants an answer within 3 seconds, a
/// command may take longer. One channel's commands run in order, channels run side by side, and a click never
/// waits behind a command (<see cref="ChatWorkQueue"/>). Work Slack was told "on it" about is finished at shutdown,
/// or the person is told it was lost; it is never dropped in silence.
/// </summary>
public sealed class SlackWork(ILogger<SlackWork> log) : BackgroundService
{
    private const int Capacity = 500;
    private const int CommandWorkers = 4;
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(15);

    private readonly ChatWorkQueue _queue = new("Slack work", Capacity, CommandWorkers, log);

    /// <summary>
    /// False when the queue is full: the caller tells the person to try again. <paramref name="lane"/> is the channel
    /// for commands and mentions, null for a click; <paramref name="lost"/> tells the person if shutdown cut it off.
    /// </summary>
    public bool TryEnqueue(string? lane, string what, Func<CancellationToken, Task> work, Func<CancellationToken, Task>? lost = null) =>
        _queue.TryEnqueue(lane, what, work, lost) is not null;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _queue.StopAsync(ShutdownGrace);
        await base.StopAsync(cancellationToken);
    }
}
