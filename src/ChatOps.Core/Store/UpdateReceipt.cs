namespace ChatOps.Core.Store;

/// <summary>
/// The chat update a command came from, while that command runs. The store writes the update id in the same
/// transaction as the first change the command makes, so the change and "this update is handled" commit together:
/// a redelivered update finds its id taken and the whole command is abandoned (<see cref="DuplicateUpdateException"/>),
/// and a crash before that write leaves the id free, so the redelivery does the work.
/// </summary>
/// <remarks>
/// Ambient (like a transaction scope) because a command reaches the store through the runner and several stores;
/// background work started by a command must <see cref="Detach"/> so it never records the command's update.
/// </remarks>
public sealed class UpdateReceipt : IDisposable
{
    private static readonly AsyncLocal<UpdateReceipt?> Ambient = new();
    private readonly UpdateReceipt? _outer;

    private UpdateReceipt(string platform, string updateId)
    {
        Platform = platform;
        UpdateId = updateId;
        _outer = Ambient.Value;
        Ambient.Value = this;
    }

    public string Platform { get; }

    public string UpdateId { get; }

    /// <summary>True once a committed write carried this update id.</summary>
    public bool IsRecorded { get; private set; }

    /// <summary>The receipt the next write in this flow must record, if any.</summary>
    public static UpdateReceipt? Pending => Ambient.Value is { IsRecorded: false } receipt ? receipt : null;

    public static UpdateReceipt Begin(string platform, string updateId) => new(platform, updateId);

    /// <summary>Called by a store after the transaction that wrote the update id committed.</summary>
    public void Recorded() => IsRecorded = true;

    /// <summary>Background work started by a command does not belong to its update.</summary>
    public static void Detach() => Ambient.Value = null;

    public void Dispose()
    {
        if (Ambient.Value == this)
            Ambient.Value = _outer;
    }
}

/// <summary>The update was already handled (by this instance or another): the write that found it was rolled back.</summary>
public sealed class DuplicateUpdateException(string platform, string updateId)
    : Exception($"Update {updateId} from {platform} was already handled.");
