using System.Collections;
using System.Collections.Concurrent;

namespace ChatOps.Sandbox;

// Tests flip faults while requests are in flight, so a plain HashSet would race.
public sealed class ConcurrentStringSet : IEnumerable<string>
{
    private readonly ConcurrentDictionary<string, byte> _items = new(StringComparer.Ordinal);

    public int Count => _items.Count;

    public bool Add(string item) => _items.TryAdd(item, 0);

    public bool Remove(string item) => _items.TryRemove(item, out _);

    public bool Contains(string item) => _items.ContainsKey(item);

    public void Clear() => _items.Clear();

    public IEnumerator<string> GetEnumerator() => _items.Keys.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
