using System.Text.RegularExpressions;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>Reads the console output of <c>alembic current</c>, <c>heads</c> and <c>history</c>.</summary>
public static partial class AlembicOutput
{
    public static string? ParseRevision(string stdout) =>
        stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => RevisionLine().Match(line))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .FirstOrDefault();

    /// <summary>Revisions after <paramref name="current"/> up to <paramref name="head"/>, oldest first.</summary>
    public static IReadOnlyList<MigrationRevision> Pending(string history, string? current, string? head)
    {
        var byRevision = new Dictionary<string, (string Down, string Message)>();
        foreach (var line in history.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var m = HistoryLine().Match(line);
            if (m.Success)
                byRevision[m.Groups["rev"].Value] = (m.Groups["down"].Value, m.Groups["msg"].Value.Trim());
        }
        var pending = new List<MigrationRevision>();
        var cursor = head;
        while (cursor is not null && cursor != current && byRevision.TryGetValue(cursor, out var entry))
        {
            pending.Add(new MigrationRevision(cursor, entry.Message));
            cursor = entry.Down is "<base>" or "" ? null : entry.Down;
        }
        pending.Reverse();
        return pending;
    }

    [GeneratedRegex(@"^([0-9a-zA-Z_]+)(?:\s+\([^)]*\))*\s*$")]
    private static partial Regex RevisionLine();

    [GeneratedRegex(@"^(?<down>\S+)\s+->\s+(?<rev>[0-9a-zA-Z_]+)(?:\s+\([^)]*\))*,\s*(?<msg>.*)$")]
    private static partial Regex HistoryLine();
}
