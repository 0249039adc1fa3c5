namespace ChatOps.Host.Store;

/// <summary>Whether the bot's own store answers, for <c>GET /health</c>.</summary>
public interface IStoreProbe
{
    string Kind { get; }

    Task<bool> PingAsync(CancellationToken cancellationToken);
}
