namespace ChatOps.Host.ChatLanes;

/// <summary>
/// The one place every chat's work waits after it was received, whether it came by the Telegram webhook, Telegram
/// polling, Slack's HTTP endpoints or Socket Mode: the receiver answers its platform at once and the work runs here.
/// One chat's commands run in order, chats run side by side, and a button press never waits behind a command
/// (<see cref="ChatWorkQueue"/>). At shutdown the work already taken is finished within a grace period, or its
/// receiver's lost callback tells the person (Slack, the Telegram webhook); polled Telegram updates stay unconfirmed
/// and come back after the restart. Nothing is dropped in silence.
/// </summary>
public sealed class ChatInbox(ILogger<ChatInbox> log) : BackgroundService
{
    private const int Capacity = 500;
    private const int CommandWorkers = 8;
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(15);

    private readonly ChatWorkQueue _queue = new("Chat inbox", Capacity, CommandWorkers, log);
    private readonly Lock _gate = new();
    private Task? _closing;

    /// <summary>How many pieces of work were taken and have not ended yet.</summary>
    public int Pending => _queue.Pending;

    /// <summary>
    /// Queues <paramref name="work"/> behind the earlier work of <paramref name="lane"/> (one chat; null for a button
    /// press). Returns a task that completes when the work ended, never faulting; null when the inbox is full or
    /// closing, and the caller tells the person, or its platform, to try again. <paramref name="lost"/> tells the
    /// person if shutdown cut the work off.
    /// </summary>
    public Task? TryEnqueue(string? lane, string what, Func<CancellationToken, Task> work, Func<CancellationToken, Task>? lost = null) =>
        _queue.TryEnqueue(lane, what, work, lost);

    /// <summary>
    /// Stops taking work and lets what was taken finish within the grace, cancelling the rest. The first receiver
    /// to stop closes the inbox for all (they stop only when the host does); every caller waits for the same close.
    /// </summary>
    public Task CloseAsync()
    {
        lock (_gate)
            return _closing ??= _queue.StopAsync(ShutdownGrace);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await CloseAsync();
        await base.StopAsync(cancellationToken);
    }
}
