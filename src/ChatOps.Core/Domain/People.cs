using System.Collections.Concurrent;

namespace ChatOps.Core.Domain;

/// <summary>A person's name as their chat platform last showed it, and the handle (@username) it notifies.</summary>
public sealed record Person(string Name, string? Handle);

/// <summary>
/// Display names remembered from the updates that reach the bot. Kept in memory on purpose: a name is a
/// courtesy, refreshed by the person's next message, while the stable id stays in the audit trail and role lists.
/// </summary>
public sealed class People
{
    private const int MaxPeople = 10_000;

    private readonly ConcurrentDictionary<string, Person> _known = new(StringComparer.OrdinalIgnoreCase);

    public void Remember(ChatUser user, string? name, string? handle)
    {
        var clean = string.Join(' ', (name ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (clean.Length == 0 && string.IsNullOrWhiteSpace(handle))
            return;
        // A flood of strangers must not grow memory without bound; names of the newest are then simply unknown.
        if (_known.Count >= MaxPeople && !_known.ContainsKey(user.Id))
            return;
        _known[user.Id] = new Person(clean.Length > 0 ? clean[..Math.Min(clean.Length, 64)] : handle!, string.IsNullOrWhiteSpace(handle) ? null : handle);
    }

    public Person? Find(ChatUser user) => _known.GetValueOrDefault(user.Id);

    public Person? Find(string userId) => _known.GetValueOrDefault(userId);

    /// <summary>"Alice Smith (telegram:111)" when the name is known, else the id.</summary>
    public string Describe(string userId) => Find(userId) is { } person ? $"{person.Name} ({userId})" : userId;

    /// <summary>"Alice Smith" when known, else the id: for cards, where the id is in the audit trail.</summary>
    public string NameOf(string userId) => Find(userId)?.Name ?? userId;
}
