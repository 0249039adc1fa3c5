namespace ChatOps.IntegrationTests.Harness;

/// <summary>
/// The system clock, moved ahead when a test says so: what expires after a minute can expire without a minute's wait,
/// while timers and delays keep running on real time.
/// </summary>
public sealed class AheadClock : TimeProvider
{
    private long _aheadTicks;

    public void MoveAhead(TimeSpan by) => Interlocked.Add(ref _aheadTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _aheadTicks));
}
