namespace ChatOps.Sandbox;

// Every call that would change the outside world is recorded, so tests can prove a retry or a resumed
// release did not repeat a tag, a deploy or a migration.
public sealed class MutationLog
{
    private readonly Lock _gate = new();
    private readonly List<string> _entries = [];

    public IReadOnlyList<string> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public void Record(string kind)
    {
        lock (_gate)
        {
            _entries.Add(kind);
        }
    }

    public int Count(string prefix)
    {
        lock (_gate)
        {
            return _entries.Count(e => e.StartsWith(prefix, StringComparison.Ordinal));
        }
    }
}
