using System.Text;

namespace ChatOps.Sandbox;

// An Alembic project on Postgres, answering with Alembic 1.8's console output (logging on stderr, results on
// stdout; checked against python3-alembic with no terminal, as exec has none). There is one database, and each
// image holds the revision files of the release it was built from, so a command sees only its image's revisions.
// The database starts at the first revision, which the initial release holds; two later revisions are pending.
public sealed class SimulatedAlembic
{
    private const string ContextLines =
        "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\n" +
        "INFO  [alembic.runtime.migration] Will assume transactional DDL.\n";

    private readonly Lock _gate = new();
    private readonly SandboxFaults _faults;
    private readonly Func<string, string?> _tagOf;
    private readonly string _initialTag;
    private readonly List<AlembicRevision> _revisions = [];
    private readonly List<string> _upgrades = [];
    private int _applied;

    internal SimulatedAlembic(SandboxFaults faults, Func<string, string?> tagOf, string initialTag)
    {
        _faults = faults;
        _tagOf = tagOf;
        _initialTag = initialTag;
        AddRevision("create runs", initialTag);
        AddRevision("create artifacts");
        AddRevision("create webhook_events");
        _applied = 1;
    }

    // Whether `--sql` works: an env.py written for online migrations only fails offline.
    public bool OfflineAvailable { get; set; } = true;

    /// <summary>Every revision an upgrade applied, in order: a revision applied twice shows up twice.</summary>
    public IReadOnlyList<string> Upgrades
    {
        get
        {
            lock (_gate)
                return [.. _upgrades];
        }
    }

    public string? Current
    {
        get
        {
            lock (_gate)
            {
                return _applied == 0 ? null : _revisions[_applied - 1].Id;
            }
        }
    }

    // The newest revision in the repository, whichever image holds it.
    public string Head
    {
        get
        {
            lock (_gate)
            {
                return _revisions[^1].Id;
            }
        }
    }

    public IReadOnlyList<string> Revisions
    {
        get
        {
            lock (_gate)
            {
                return [.. _revisions.Select(r => r.Id)];
            }
        }
    }

    public string? HeadOf(string image)
    {
        lock (_gate)
        {
            var known = Known(image);
            return known == 0 ? null : _revisions[known - 1].Id;
        }
    }

    public string AddRevision(string message, string? since = null, string? sql = null)
    {
        lock (_gate)
        {
            var id = SandboxJson.RandomHex(12);
            _revisions.Add(new AlembicRevision(id, message, since, sql ?? AlembicRevision.SqlFor(message)));
            return id;
        }
    }

    public Task<FlyExecResult> ExecAsync(FlyExecRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(Run(request.Command, request.Image.Length == 0 ? null : request.Image));

    // As an image that holds every revision.
    public FlyExecResult Run(IReadOnlyList<string> command) => Run(command, null);

    public FlyExecResult Run(IReadOnlyList<string> command, string? image) =>
        ShellChain.Run(command, "alembic", words => Alembic(words, image));

    // The command as a shell would be given it: `sh -c "<line>"` is its line.
    public static string CommandText(IReadOnlyList<string> command) =>
        command.Count >= 3 && command[0] is "sh" or "/bin/sh" or "bash" or "/bin/bash" && command[1] == "-c"
            ? command[2]
            : string.Join(' ', command);

    // Offline `--sql` only prints SQL, so it changes nothing.
    internal static bool IsMutating(string commandText) =>
        commandText.Contains("alembic", StringComparison.Ordinal)
        && !commandText.Contains("--sql", StringComparison.Ordinal)
        && (commandText.Contains(" upgrade", StringComparison.Ordinal) || commandText.Contains(" downgrade", StringComparison.Ordinal)
            || commandText.Contains(" stamp", StringComparison.Ordinal));

    // The alembic steps of a command that change the database, one entry per step.
    internal static IEnumerable<string> MutatingSteps(IReadOnlyList<string> command) =>
        ShellChain.Parse(command).Select(s => s.Text).Where(IsMutating);

    private FlyExecResult Alembic(IReadOnlyList<string> words, string? image)
    {
        var args = WithoutGlobalOptions([.. words.Skip(1)]);
        var offline = args.Remove("--sql");
        lock (_gate)
        {
            var known = image is null ? _revisions.Count : Known(image);
            return args.FirstOrDefault() switch
            {
                "current" when _applied > known => CantLocate(ContextLines, _revisions[_applied - 1].Id),
                "current" => new FlyExecResult(0, _applied == 0 ? "" : $"{_revisions[_applied - 1].Id}{(_applied == known ? " (head)" : "")}\n", ContextLines),
                "heads" => new FlyExecResult(0, known == 0 ? "" : $"{_revisions[known - 1].Id} (head)\n", ""),
                "history" => new FlyExecResult(0, History(known), ""),
                "upgrade" when args.Count > 1 && offline => Offline(args[1], known),
                "upgrade" when args.Count > 1 => Upgrade(args[1], known),
                "upgrade" => Usage("the following arguments are required: revision"),
                var other => Usage($"argument {{branches,check,current,downgrade,edit,ensure_version,heads,history,init,list_templates,merge,revision,show,stamp,upgrade}}: invalid choice: '{other}'"),
            };
        }
    }

    // How many revisions the image holds: a prefix of the chain, since a file whose parent is missing breaks it.
    private int Known(string image)
    {
        var tag = _tagOf(image);
        var known = 0;
        while (known < _revisions.Count && ImageRevisions.Knows(tag, _revisions[known].Since, _initialTag))
        {
            known++;
        }

        return known;
    }

    private static List<string> WithoutGlobalOptions(List<string> args)
    {
        var result = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "-c" or "--config" or "-n" or "--name" or "-x")
            {
                i++;
            }
            else if (!args[i].StartsWith('-') || result.Count > 0)
            {
                result.Add(args[i]);
            }
        }

        return result;
    }

    private string History(int known)
    {
        var sb = new StringBuilder();
        for (var i = known - 1; i >= 0; i--)
        {
            var down = i == 0 ? "<base>" : _revisions[i - 1].Id;
            var head = i == known - 1 ? " (head)" : "";
            sb.Append($"{down} -> {_revisions[i].Id}{head}, {_revisions[i].Message}\n");
        }

        return sb.ToString();
    }

    // The number of revisions up to `target` among the first `known`, or 0 when the image does not hold it.
    private int Goal(string target, int known) =>
        target is "head" or "heads" ? known
        : target.StartsWith('+') && int.TryParse(target[1..], out var step) ? Math.Min(known, _applied + step)
        : _revisions.Take(known).ToList().FindIndex(r => r.Id.StartsWith(target, StringComparison.Ordinal)) + 1;

    private FlyExecResult Upgrade(string target, int known)
    {
        if (_applied > known)
        {
            return CantLocate(ContextLines, _revisions[_applied - 1].Id);
        }

        var goal = Goal(target, known);
        if (goal == 0)
        {
            return CantLocate(ContextLines, target);
        }

        var log = new StringBuilder(ContextLines);
        for (var i = _applied; i < goal; i++)
        {
            var from = i == 0 ? "" : _revisions[i - 1].Id;
            log.Append($"INFO  [alembic.runtime.migration] Running upgrade {from} -> {_revisions[i].Id}, {_revisions[i].Message}\n");
            if (_faults.FailMigration)
            {
                // Transactional DDL on Postgres: the failed upgrade rolls back, so nothing is applied.
                return new FlyExecResult(1, "", log.Append(AlembicTraceback.DuplicateTable).ToString());
            }
        }

        for (var i = _applied; i < goal; i++)
            _upgrades.Add(_revisions[i].Id);
        _applied = Math.Max(_applied, goal);
        return new FlyExecResult(0, "", log.ToString());
    }

    // `upgrade <from>:<to> --sql` or `upgrade <to> --sql` (from base). The database is not read.
    private FlyExecResult Offline(string range, int known)
    {
        if (!OfflineAvailable)
        {
            return new FlyExecResult(1, "", AlembicTraceback.OfflineUnavailable);
        }

        var colon = range.IndexOf(':', StringComparison.Ordinal);
        var from = colon < 0 ? 0 : Find(range[..colon], known);
        var target = colon < 0 ? range : range[(colon + 1)..];
        // Transactional DDL opens the script with BEGIN before the revisions are looked up.
        if (from == 0 && colon >= 0)
        {
            return CantLocate(AlembicOffline.Context, range[..colon], "BEGIN;\n\n");
        }

        var to = target is "head" or "heads" ? known : Find(target, known);
        if (to == 0)
        {
            return CantLocate(AlembicOffline.Context, target, "BEGIN;\n\n");
        }

        return AlembicOffline.Render(from == 0 ? null : _revisions[from - 1].Id, _revisions.Skip(from).Take(Math.Max(0, to - from)).ToList());
    }

    private int Find(string id, int known) => _revisions.Take(known).ToList().FindIndex(r => r.Id.StartsWith(id, StringComparison.Ordinal)) + 1;

    // Alembic's util.err: the error logged on stderr, FAILED printed on stdout (unindented: exec has no terminal),
    // then sys.exit(-1), which the shell sees as 255.
    private static FlyExecResult CantLocate(string context, string revision, string printed = "") => new(255,
        $"{printed}FAILED: Can't locate revision identified by '{revision}'\n",
        $"{context}ERROR [alembic.util.messaging] Can't locate revision identified by '{revision}'\n");

    private static FlyExecResult Usage(string error) => new(2, "",
        "usage: alembic [-h] [--version] [-c CONFIG] [-n NAME] [-x X] [--raiseerr] [-q]\n" +
        "               {branches,check,current,downgrade,edit,ensure_version,heads,history,init,list_templates,merge,revision,show,stamp,upgrade}\n" +
        "               ...\n" +
        $"alembic: error: {error}\n");
}
