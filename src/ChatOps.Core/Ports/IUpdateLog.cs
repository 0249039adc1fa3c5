namespace ChatOps.Core.Ports;

/// <summary>Chat updates already handled, so a redelivery is acknowledged and ignored.</summary>
public interface IUpdateLog
{
    /// <summary>True the first time an update id is seen on a platform, false on every redelivery.</summary>
    Task<bool> TryMarkProcessedAsync(string platform, string updateId, CancellationToken cancellationToken);
}
