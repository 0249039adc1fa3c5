using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatOps.Host.TargetDatabase;

/// <summary>
/// <c>backup_pre_&lt;tag&gt;_&lt;yyyyMMddHHmm&gt;_&lt;environment&gt;.sql.gz</c>: the runbook's name with the environment
/// after the stamp, so environments can share a directory and each finds and prunes only its own dumps. The twelve
/// digits of the stamp separate tag and environment even when either holds an underscore.
/// </summary>
internal sealed record BackupFileName(string Tag, string Environment)
{
    public static string For(string tag, DateTimeOffset at, string environment)
    {
        if (environment.Length == 0 || environment.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"'{environment}' cannot be part of a backup file name.", nameof(environment));
        return $"backup_pre_{tag}_{at.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture)}_{environment}.sql.gz";
    }

    /// <summary>Null for a file that is not a backup of this shape (older backups without an environment are left alone).</summary>
    public static BackupFileName? Parse(string fileName) =>
        Pattern.Match(fileName) is { Success: true } m ? new BackupFileName(m.Groups["tag"].Value, m.Groups["env"].Value) : null;

    private static readonly Regex Pattern = new(@"^backup_pre_(?<tag>.+)_\d{12}_(?<env>[^_].*)\.sql\.gz$", RegexOptions.CultureInvariant | RegexOptions.Compiled);
}
