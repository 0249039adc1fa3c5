namespace ChatOps.Host.ChatLanes;

/// <summary>
/// Says in the log that a full queue turned requests away: the first at once, then at most one line a period with
/// how many were turned away since the line before, so a flood of requests does not become a flood of log lines
/// (which would slow the answers that say "busy" too).
/// </summary>
public sealed class TurnedAwayLog(string queue, TimeProvider clock, ILogger log)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private long _unsaid;
    private DateTimeOffset _nextLine = DateTimeOffset.MinValue;

    public void Add(string user)
    {
        long count;
        lock (_gate)
        {
            _unsaid++;
            var now = clock.GetUtcNow();
            if (now < _nextLine)
                return;
            count = _unsaid;
            _unsaid = 0;
            _nextLine = now + Period;
        }
        log.LogWarning("{Queue} is full: turned away {Count} request(s) since the last such line, the latest from {User}", queue, count, user);
    }
}
