namespace ChatOps.Host.Store;

// Only the embedded store reads this: a connection string selects Postgres, and the sandbox keeps its store in memory.
public sealed class StoreOptions
{
    public const string Section = "ChatOps";

    public string StorePath { get; set; } = Path.Combine("data", "chatops.db");
}
