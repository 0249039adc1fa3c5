using System.Collections.Concurrent;

namespace ChatOps.Host.Hosting;

// Secrets the bot only learns while it runs (a GitHub App's installation tokens): masked in every log line like the
// configured ones. Tokens expire within the hour, so the set stays small; old ones are kept, a late log line may quote one.
public sealed class LogSecrets
{
    private readonly ConcurrentDictionary<string, bool> _values = new(StringComparer.Ordinal);

    public void Add(string secret)
    {
        if (secret.Length >= 6)
            _values[secret] = true;
    }

    public IEnumerable<string> Values => _values.Keys;

    public bool IsEmpty => _values.IsEmpty;
}
