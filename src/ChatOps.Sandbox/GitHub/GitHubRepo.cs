namespace ChatOps.Sandbox;

// One simulated repository: commits with parent links, refs, tag objects, check runs and statuses, files per
// commit, releases and deployments. One lock guards it all; the simulator is small and never hot.
public sealed partial class GitHubRepo
{
    private static readonly string[] SeedMessages =
    [
        "Initial import of the myloware services",
        "Add run status endpoint",
        "Fix flaky orchestrator retry",
        "Add webhook_events table",
        "Bump httpx to 0.28.1",
    ];

    private readonly Lock _gate = new();
    private readonly SandboxOptions _options;
    private readonly MutationLog _mutations;
    private readonly Dictionary<string, SimCommit> _commits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _refs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TagObject> _tagObjects = new(StringComparer.Ordinal);
    private readonly List<CheckRun> _checkRuns = [];
    private readonly List<CommitStatus> _statuses = [];
    private long _nextId = 4000;
    private int _nextPull = 11;

    internal GitHubRepo(SandboxOptions options, MutationLog mutations)
    {
        _options = options;
        _mutations = mutations;
        Seed();
    }

    public string FullName => _options.Repository;

    // What GET /repos/{o}/{r} reports as permissions.push; a read-only token is false (the doctor's problem case).
    public bool TokenCanPush { get; set; } = true;
    public string Branch => _options.Branch;

    // Set once the server knows its port, so `url` fields point back at the simulator.
    internal string ApiUrl { get; set; } = "https://api.github.com";
    internal string RepoApiUrl => $"{ApiUrl}/repos/{FullName}";
    internal string HtmlUrl => $"https://github.com/{FullName}";
    internal string BranchRef => "refs/heads/" + Branch;
    internal IReadOnlyList<string> RequiredChecks => _options.RequiredChecks;

    public string HeadSha
    {
        get
        {
            lock (_gate)
            {
                return _refs[BranchRef];
            }
        }
    }

    public string PushCommit(string message)
    {
        lock (_gate)
        {
            var head = _commits[_refs[BranchRef]];
            return AppendCommit(head, message, head.Files, DateTimeOffset.UtcNow).Sha;
        }
    }

    public string GetCommitMessage(string sha)
    {
        lock (_gate)
        {
            return (ResolveLocked(sha) ?? throw new ArgumentException($"unknown commit {sha}", nameof(sha))).Message;
        }
    }

    public void SetCheckRun(string sha, string name, string status, string? conclusion)
    {
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            var commit = ResolveLocked(sha) ?? throw new ArgumentException($"unknown commit {sha}", nameof(sha));
            _checkRuns.Add(new CheckRun(++_nextId, commit.Sha, name, status, conclusion, now, status == "completed" ? now : null));
        }
    }

    public void RemoveCheckRun(string sha, string name)
    {
        lock (_gate)
        {
            var commit = ResolveLocked(sha) ?? throw new ArgumentException($"unknown commit {sha}", nameof(sha));
            _checkRuns.RemoveAll(r => r.HeadSha == commit.Sha && r.Name == name);
        }
    }

    // For a lightweight tag both values are the commit sha.
    public (string TagObjectSha, string CommitSha)? FindTag(string tag)
    {
        lock (_gate)
        {
            return _refs.TryGetValue("refs/tags/" + tag, out var sha) && PeelLocked(sha) is { } commit
                ? (sha, commit.Sha)
                : null;
        }
    }

    public string CreateLightweightTag(string tag, string sha)
    {
        lock (_gate)
        {
            var commit = ResolveLocked(sha) ?? throw new ArgumentException($"unknown commit {sha}", nameof(sha));
            _refs["refs/tags/" + tag] = commit.Sha;
            return commit.Sha;
        }
    }

    public string CreateAnnotatedTag(string tag, string sha, string? message = null)
    {
        lock (_gate)
        {
            var commit = ResolveLocked(sha) ?? throw new ArgumentException($"unknown commit {sha}", nameof(sha));
            var tagger = new Tagger("chatops-bot", "chatops@example.com", SandboxJson.Iso(DateTimeOffset.UtcNow));
            var tagObject = NewTagObject(tag, message ?? $"Release {tag}", commit.Sha, tagger);
            _refs["refs/tags/" + tag] = tagObject.Sha;
            return tagObject.Sha;
        }
    }

    // A legacy commit status (CI that is not Actions); the seed has none.
    public void SetStatus(string sha, string context, string state)
    {
        lock (_gate)
        {
            var commit = ResolveLocked(sha) ?? throw new ArgumentException($"unknown commit {sha}", nameof(sha));
            _statuses.Add(new CommitStatus(++_nextId, commit.Sha, context, state, DateTimeOffset.UtcNow));
        }
    }

    private void Seed()
    {
        var start = new DateTimeOffset(2026, 7, 20, 9, 0, 0, TimeSpan.Zero);
        var files = SeedFiles.Create(_options);
        SimCommit? parent = null;
        for (var i = 0; i < SeedMessages.Length; i++)
        {
            parent = AppendCommit(parent, SeedMessages[i], files, start.AddHours(i * 5));
            if (i == 2)
            {
                var tagger = new Tagger("chatops-bot", "chatops@example.com", SandboxJson.Iso(start.AddHours(i * 5 + 1)));
                var tag = NewTagObject(_options.InitialTag, $"Release {_options.InitialTag}", parent.Sha, tagger);
                _refs["refs/tags/" + _options.InitialTag] = tag.Sha;
            }
        }
    }

    private SimCommit AppendCommit(
        SimCommit? parent, string message, IReadOnlyDictionary<string, byte[]> files, DateTimeOffset date, string? branchRef = null)
    {
        var tree = SandboxJson.Sha1Hex(string.Join('\n', files.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => f.Key + " " + GitBlob.Sha(f.Value))));
        var sha = SandboxJson.Sha1Hex($"tree {tree}\nparent {parent?.Sha}\n{date.ToUnixTimeSeconds()}\n{message}\n{_nextId}");
        var commit = new SimCommit(sha, parent?.Sha, message, date, tree, _nextPull++, files);
        _commits[sha] = commit;
        _refs[branchRef ?? BranchRef] = sha;
        foreach (var check in _options.RequiredChecks)
        {
            // CI ran on every push, so each new head carries completed, passing runs.
            _checkRuns.Add(new CheckRun(++_nextId, sha, check, "completed", "success", date.AddMinutes(1), date.AddMinutes(4)));
        }

        return commit;
    }

    private TagObject NewTagObject(string tag, string message, string objectSha, Tagger tagger)
    {
        var type = _tagObjects.ContainsKey(objectSha) ? "tag" : "commit";
        var sha = SandboxJson.Sha1Hex($"object {objectSha}\ntype {type}\ntag {tag}\ntagger {tagger.Name} {tagger.Date}\n\n{message}");
        var tagObject = new TagObject(sha, tag, message, objectSha, type, tagger);
        _tagObjects[sha] = tagObject;
        return tagObject;
    }
}
