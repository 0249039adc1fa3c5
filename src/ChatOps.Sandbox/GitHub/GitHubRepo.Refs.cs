namespace ChatOps.Sandbox;

public sealed partial class GitHubRepo
{
    // `rev` may be a full or abbreviated sha, a branch, a tag, or a `heads/…`/`tags/…`/`refs/…` name.
    internal SimCommit? Resolve(string rev)
    {
        lock (_gate)
        {
            return ResolveLocked(rev);
        }
    }

    internal string? GetRef(string fullRef)
    {
        lock (_gate)
        {
            return _refs.GetValueOrDefault(fullRef);
        }
    }

    internal IReadOnlyList<KeyValuePair<string, string>> MatchingRefs(string prefix)
    {
        lock (_gate)
        {
            return [.. _refs.Where(r => r.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(r => r.Key, StringComparer.Ordinal)];
        }
    }

    internal bool IsTagObject(string sha)
    {
        lock (_gate)
        {
            return _tagObjects.ContainsKey(sha);
        }
    }

    internal TagObject? GetTagObject(string sha)
    {
        lock (_gate)
        {
            return _tagObjects.GetValueOrDefault(sha);
        }
    }

    internal TagObject? CreateTagObject(string tag, string message, string objectSha, Tagger tagger)
    {
        lock (_gate)
        {
            if (!_commits.ContainsKey(objectSha) && !_tagObjects.ContainsKey(objectSha))
            {
                return null;
            }

            _mutations.Record("github.tag-object:" + tag);
            return NewTagObject(tag, message, objectSha, tagger);
        }
    }

    internal WriteOutcome CreateRef(string fullRef, string sha)
    {
        lock (_gate)
        {
            if (_refs.ContainsKey(fullRef))
            {
                return WriteOutcome.AlreadyExists;
            }

            if (!_commits.ContainsKey(sha) && !_tagObjects.ContainsKey(sha))
            {
                return WriteOutcome.UnknownObject;
            }

            _refs[fullRef] = sha;
            _mutations.Record("github.ref:" + fullRef);
            return WriteOutcome.Created;
        }
    }

    internal WriteOutcome UpdateRef(string fullRef, string sha, bool force)
    {
        lock (_gate)
        {
            if (!_refs.TryGetValue(fullRef, out var current))
            {
                return WriteOutcome.Missing;
            }

            if (!_commits.ContainsKey(sha) && !_tagObjects.ContainsKey(sha))
            {
                return WriteOutcome.UnknownObject;
            }

            if (!force && _commits.ContainsKey(current) && !AncestorsLocked(sha).Contains(current))
            {
                return WriteOutcome.NotFastForward;
            }

            _refs[fullRef] = sha;
            _mutations.Record("github.ref:" + fullRef);
            return WriteOutcome.Updated;
        }
    }

    internal WriteOutcome DeleteRef(string fullRef)
    {
        lock (_gate)
        {
            if (!_refs.Remove(fullRef))
            {
                return WriteOutcome.Missing;
            }

            _mutations.Record("github.ref:" + fullRef);
            return WriteOutcome.Updated;
        }
    }

    // The commit itself first, then its parents back to the root.
    internal IReadOnlyList<SimCommit> Ancestry(string sha)
    {
        lock (_gate)
        {
            return [.. AncestorsLocked(sha).Select(s => _commits[s])];
        }
    }

    private List<string> AncestorsLocked(string sha)
    {
        var result = new List<string>();
        for (var c = _commits.GetValueOrDefault(sha); c is not null; c = c.ParentSha is null ? null : _commits[c.ParentSha])
        {
            result.Add(c.Sha);
        }

        return result;
    }

    private SimCommit? ResolveLocked(string rev)
    {
        if (_commits.TryGetValue(rev, out var commit))
        {
            return commit;
        }

        string[] candidates = ["refs/heads/" + rev, "refs/tags/" + rev, "refs/" + rev, rev];
        foreach (var name in candidates)
        {
            if (_refs.TryGetValue(name, out var sha))
            {
                return PeelLocked(sha);
            }
        }

        if (rev.Length >= 7 && rev.All(char.IsAsciiHexDigitLower))
        {
            var matches = _commits.Keys.Where(k => k.StartsWith(rev, StringComparison.Ordinal)).Take(2).ToList();
            return matches.Count == 1 ? _commits[matches[0]] : null;
        }

        return PeelLocked(rev);
    }

    private SimCommit? PeelLocked(string sha)
    {
        while (_tagObjects.TryGetValue(sha, out var tag))
        {
            sha = tag.ObjectSha;
        }

        return _commits.GetValueOrDefault(sha);
    }
}
