using System.Text;
using System.Text.RegularExpressions;

namespace ChatOps.Core.Steps;

/// <summary>
/// What a migration does to the schema, read from the SQL that <c>alembic upgrade a:b --sql</c> prints: each revision is
/// additive (old code still runs on the new schema, so images can go back without a restore) or destructive (going
/// back needs the backup). A statement not known to be additive counts as destructive: guessing wrong the other way
/// would tell an operator at 3 a.m. that a rollback is safe when it is not.
/// </summary>
public static partial class MigrationSql
{
    /// <summary>The verdict of each revision in the SQL, by revision id; the SQL of one revision follows its marker.</summary>
    public static IReadOnlyDictionary<string, RevisionVerdict> Judge(string sql)
    {
        var verdicts = new Dictionary<string, RevisionVerdict>(StringComparer.Ordinal);
        foreach (var (revision, body) in Revisions(sql))
        {
            var reasons = Statements(body).Select(Destructive).OfType<string>().Distinct().ToList();
            verdicts[revision] = reasons.Count == 0
                ? new RevisionVerdict(MigrationVerdict.Additive, null)
                : new RevisionVerdict(MigrationVerdict.Destructive, string.Join("; ", reasons));
        }
        return verdicts;
    }

    /// <summary>The statements that change the schema or data, one a line, without Alembic's own bookkeeping: what is worth a glance.</summary>
    public static IReadOnlyList<string> Lines(string sql) => [.. Statements(sql).Select(s => s + ";")];

    private static IEnumerable<(string Revision, string Body)> Revisions(string sql)
    {
        var markers = Marker().Matches(sql);
        for (var i = 0; i < markers.Count; i++)
        {
            var start = markers[i].Index + markers[i].Length;
            var end = i + 1 < markers.Count ? markers[i + 1].Index : sql.Length;
            yield return (markers[i].Groups["rev"].Value, sql[start..end]);
        }
    }

    private static IEnumerable<string> Statements(string body)
    {
        var text = new StringBuilder();
        foreach (var line in body.Split('\n'))
        {
            var code = line.Trim();
            if (code.StartsWith("--", StringComparison.Ordinal))
                continue;
            text.Append(code).Append(' ');
        }
        return text.ToString().Split(';').Select(s => Spaces().Replace(s, " ").Trim()).Where(s => s.Length > 0)
            .Where(s => s is not ("BEGIN" or "COMMIT") && !s.Contains("alembic_version", StringComparison.OrdinalIgnoreCase));
    }

    // Null when the statement is additive; otherwise what makes it destructive, in words.
    private static string? Destructive(string statement)
    {
        var s = statement.ToUpperInvariant();
        if (s.StartsWith("DROP ", StringComparison.Ordinal))
            return $"drops {Word(statement, 1).ToLowerInvariant()} {Word(statement, 2)}";
        if (s.StartsWith("TRUNCATE ", StringComparison.Ordinal))
            return $"empties {(s.StartsWith("TRUNCATE TABLE ", StringComparison.Ordinal) ? Word(statement, 2) : Word(statement, 1))}";
        if (s.StartsWith("DELETE ", StringComparison.Ordinal))
            return $"deletes rows of {Word(statement, 2)}";
        if (s.StartsWith("UPDATE ", StringComparison.Ordinal))
            return $"changes rows of {Word(statement, 1)}";
        if (s.StartsWith("ALTER TABLE ", StringComparison.Ordinal))
            return AlterTable(statement, s);
        if (s.StartsWith("ALTER INDEX ", StringComparison.Ordinal) && s.Contains(" RENAME ", StringComparison.Ordinal))
            return $"renames index {Word(statement, 2)}";
        if (Additive().IsMatch(s))
            return null;
        return $"not known to be additive: {Short(statement)}";
    }

    private static string? AlterTable(string statement, string s)
    {
        var table = Word(statement, 2);
        if (s.Contains(" RENAME ", StringComparison.Ordinal))
            return $"renames in {table}";
        if (s.Contains(" DROP ", StringComparison.Ordinal))
            return s.Contains(" DROP COLUMN ", StringComparison.Ordinal) ? $"drops column {table}.{After(statement, "DROP COLUMN")}"
                : s.Contains(" DROP NOT NULL", StringComparison.Ordinal) || s.Contains(" DROP DEFAULT", StringComparison.Ordinal) ? null
                : $"drops from {table}";
        if (s.Contains(" TYPE ", StringComparison.Ordinal))
            return $"changes the type of {table}.{After(statement, "ALTER COLUMN")}";
        if (s.Contains(" SET NOT NULL", StringComparison.Ordinal))
            return $"makes {table}.{After(statement, "ALTER COLUMN")} NOT NULL";
        if (s.Contains(" ADD COLUMN ", StringComparison.Ordinal) || AddColumn().IsMatch(s))
            return s.Contains(" NOT NULL", StringComparison.Ordinal) && !s.Contains(" DEFAULT ", StringComparison.Ordinal)
                ? $"adds NOT NULL column {table}.{After(statement, s.Contains(" ADD COLUMN ", StringComparison.Ordinal) ? "ADD COLUMN" : "ADD")} without a default"
                : null;
        if (s.Contains(" ADD CONSTRAINT ", StringComparison.Ordinal) || s.Contains(" SET DEFAULT ", StringComparison.Ordinal))
            return null;
        return $"not known to be additive: {Short(statement)}";
    }

    // The n-th word of the statement (0-based), IF EXISTS and ONLY left out, without quotes.
    private static string Word(string statement, int n)
    {
        var words = Spaces().Split(statement).Where(w => w.ToUpperInvariant() is not ("IF" or "EXISTS" or "ONLY")).ToList();
        return words.Count > n ? words[n].Trim('"') : "?";
    }

    private static string After(string statement, string words)
    {
        var at = statement.IndexOf(words, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? "?" : Spaces().Split(statement[(at + words.Length)..].Trim())[0].Trim('"', ',');
    }

    private static string Short(string statement) => statement.Length <= 60 ? statement : statement[..60] + "…";

    [GeneratedRegex(@"^-- Running upgrade (?:\S*) -> (?<rev>[0-9A-Za-z_]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Marker();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^(CREATE |COMMENT ON |INSERT INTO |GRANT |SELECT )")]
    private static partial Regex Additive();

    [GeneratedRegex(@" ADD (?!CONSTRAINT)")]
    private static partial Regex AddColumn();
}

public enum MigrationVerdict
{
    Additive,
    Destructive,
}

/// <param name="Why">For a destructive revision, what makes it so, in words.</param>
public sealed record RevisionVerdict(MigrationVerdict Verdict, string? Why);
