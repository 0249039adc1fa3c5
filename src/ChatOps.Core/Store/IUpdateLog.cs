namespace ChatOps.Core.Store;

/// <summary>Chat updates already handled, so a redelivery is acknowledged and ignored.</summary>
public interface IUpdateLog
{
    /// <summary>
    /// Records a handled update that changed nothing (a reply, a refusal); true the first time, false when it was
    /// already recorded. An update that changes something is recorded by that change (<see cref="UpdateReceipt"/>).
    /// </summary>
    Task<bool> TryMarkProcessedAsync(string platform, string updateId, CancellationToken cancellationToken);

    /// <summary>A cheap look before any work; the write that records the update is what decides a race.</summary>
    Task<bool> IsProcessedAsync(string platform, string updateId, CancellationToken cancellationToken);

    /// <summary>When the newest update of <paramref name="platform"/> still remembered was handled; null when none is.</summary>
    Task<DateTimeOffset?> LastHandledAsync(string platform, CancellationToken cancellationToken);

    /// <summary>Forgets updates handled before <paramref name="before"/>, long after any platform would redeliver them; how many.</summary>
    Task<int> ForgetAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
