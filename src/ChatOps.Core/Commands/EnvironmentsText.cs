using ChatOps.Core.Settings;

namespace ChatOps.Core.Commands;

/// <summary>
/// What this bot releases to, as its settings say, one line per environment: the first thing /plan shows, so an
/// operator sees that the bot knows exactly the environments and services they set, and nothing else.
/// </summary>
public static class EnvironmentsText
{
    public static string Describe(ChatOpsSettings settings)
    {
        if (settings.Environments.Count == 0)
            return "Environments: none configured (ChatOps:Environments).";
        var lines = settings.Environments.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => "  " + Line(e.Key, e.Value, e.Key == settings.DefaultEnvironment));
        return "Environments:\n" + string.Join("\n", lines);
    }

    private static string Line(string name, EnvironmentSettings env, bool isDefault)
    {
        var parts = new List<string> { string.Join(", ", env.Services.Select(s => $"{s.Name} on {s.FlyApp}")) };
        parts.Add(env.Migrations.App.Length > 0 ? $"migrations on {env.Migrations.App}" : "no migrations");
        parts.Add($"backup {env.Backup.Mode}");
        parts.Add(env.SmokeTests.Count == 1 ? "1 smoke test" : $"{env.SmokeTests.Count} smoke tests");
        if (env.PromoteFrom.Length > 0)
            parts.Add(env.MinBake > TimeSpan.Zero ? $"promotes from {env.PromoteFrom} after {env.MinBake:c}" : $"promotes from {env.PromoteFrom}");
        return $"{name}{(isDefault ? " (default)" : "")}: {string.Join("; ", parts)}";
    }
}
