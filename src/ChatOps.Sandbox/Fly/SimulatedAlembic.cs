using System.Text;

namespace ChatOps.Sandbox;

// An Alembic project on Postgres, answering with Alembic 1.x's console output (logging on stderr, results on
// stdout). The database starts at the first revision, so two migrations are pending.
public sealed class SimulatedAlembic
{
    private const string ContextLines =
        "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\n" +
        "INFO  [alembic.runtime.migration] Will assume transactional DDL.\n";

    private readonly Lock _gate = new();
    private readonly SandboxFaults _faults;
    private readonly List<(string Id, string Message)> _revisions = [];
    private readonly List<string> _upgrades = [];
    private int _applied;

    internal SimulatedAlembic(SandboxFaults faults)
    {
        _faults = faults;
        AddRevision("create runs");
        AddRevision("create artifacts");
        AddRevision("create webhook_events");
        _applied = 1;
    }

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

    public string AddRevision(string message)
    {
        lock (_gate)
        {
            var id = SandboxJson.RandomHex(12);
            _revisions.Add((id, message));
            return id;
        }
    }

    public Task<FlyExecResult> ExecAsync(FlyExecRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(Run(request.Command));

    public FlyExecResult Run(IReadOnlyList<string> command)
    {
        var text = CommandText(command);
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (words.Count == 0 || words[0] != "alembic")
        {
            return new FlyExecResult(127, "", $"sh: 1: {(words.Count > 0 ? words[0] : "")}: not found\n");
        }

        var args = WithoutGlobalOptions(words.Skip(1).ToList());
        lock (_gate)
        {
            return args.FirstOrDefault() switch
            {
                "current" => new FlyExecResult(0, _applied == 0 ? "" : $"{_revisions[_applied - 1].Id}{(_applied == _revisions.Count ? " (head)" : "")}\n", ContextLines),
                "heads" => new FlyExecResult(0, $"{_revisions[^1].Id} (head)\n", ""),
                "history" => new FlyExecResult(0, History(), ""),
                "upgrade" when args.Count > 1 => Upgrade(args[1]),
                "upgrade" => Usage("the following arguments are required: revision"),
                var other => Usage($"argument {{branches,check,current,downgrade,edit,ensure_version,heads,history,init,list_templates,merge,revision,show,stamp,upgrade}}: invalid choice: '{other}'"),
            };
        }
    }

    // The command as a shell would see it: `sh -c "<cmd>"` runs its third element, and only the last step of a
    // `cd /app && alembic …` chain matters here.
    public static string CommandText(IReadOnlyList<string> command)
    {
        var text = command.Count >= 3 && command[0] is "sh" or "/bin/sh" or "bash" && command[1] == "-c"
            ? command[2]
            : string.Join(' ', command);
        return text.Split("&&")[^1].Split(';')[^1].Trim();
    }

    internal static bool IsMutating(string commandText) =>
        commandText.Contains("alembic", StringComparison.Ordinal)
        && (commandText.Contains(" upgrade", StringComparison.Ordinal) || commandText.Contains(" downgrade", StringComparison.Ordinal)
            || commandText.Contains(" stamp", StringComparison.Ordinal));

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

    private string History()
    {
        var sb = new StringBuilder();
        for (var i = _revisions.Count - 1; i >= 0; i--)
        {
            var down = i == 0 ? "<base>" : _revisions[i - 1].Id;
            var head = i == _revisions.Count - 1 ? " (head)" : "";
            sb.Append($"{down} -> {_revisions[i].Id}{head}, {_revisions[i].Message}\n");
        }

        return sb.ToString();
    }

    private FlyExecResult Upgrade(string target)
    {
        var goal = target is "head" or "heads"
            ? _revisions.Count
            : target.StartsWith('+') && int.TryParse(target[1..], out var step) ? Math.Min(_revisions.Count, _applied + step)
            : _revisions.FindIndex(r => r.Id.StartsWith(target, StringComparison.Ordinal)) + 1;
        if (goal == 0)
        {
            return new FlyExecResult(1, "", $"ERROR [alembic.util.messaging] Can't locate revision identified by '{target}'\n  FAILED: Can't locate revision identified by '{target}'\n");
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

    private static FlyExecResult Usage(string error) => new(2, "",
        "usage: alembic [-h] [--version] [-c CONFIG] [-n NAME] [-x X] [--raiseerr] [-q]\n" +
        "               {branches,check,current,downgrade,edit,ensure_version,heads,history,init,list_templates,merge,revision,show,stamp,upgrade}\n" +
        "               ...\n" +
        $"alembic: error: {error}\n");
}
