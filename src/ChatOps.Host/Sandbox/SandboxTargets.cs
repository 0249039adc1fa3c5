using ChatOps.Host.TargetDatabase;

namespace ChatOps.Host.Sandbox;

/// <summary>
/// What the sandbox may touch. GitHub, Fly and the services are always the simulators (the overlay aims every client
/// at them); the target database is the sandbox's own, <c>Sandbox:DatabaseUrl</c>, for the default environment only,
/// and none elsewhere: a DatabaseUrl configured for a real environment is never dumped, migrated or restored by a sandbox.
/// </summary>
public static class SandboxTargets
{
    public const string DatabaseUrlKey = "Sandbox:DatabaseUrl";

    /// <summary>Every environment's DatabaseUrl as the sandbox has it; the layer sits above every other, tests' included.</summary>
    public static Dictionary<string, string?> Databases(IConfiguration configuration)
    {
        var own = configuration[DatabaseUrlKey] ?? "";
        var defaultEnvironment = configuration["ChatOps:DefaultEnvironment"] ?? "production";
        return configuration.GetSection("ChatOps:Environments").GetChildren().ToDictionary(
            env => $"ChatOps:Environments:{env.Key}:DatabaseUrl",
            env => (string?)(string.Equals(env.Key, defaultEnvironment, StringComparison.OrdinalIgnoreCase) ? own : ""));
    }

    /// <summary>The start-up banner's lines: what is simulated, and which database backups, restores and migrations use.</summary>
    public static IReadOnlyList<string> Describe(IConfiguration configuration)
    {
        var apps = configuration.GetSection("ChatOps:Environments").GetChildren()
            .SelectMany(env => env.GetSection("Services").GetChildren().Select(s => s["FlyApp"]))
            .Where(app => !string.IsNullOrEmpty(app)).Distinct(StringComparer.OrdinalIgnoreCase);
        var lines = new List<string>
        {
            $"Sandbox: GitHub ({configuration["GitHub:Repository"]}), Fly ({string.Join(", ", apps)}) and the services are simulated on this machine; no configured repository, app or database is touched.",
        };
        var own = configuration[DatabaseUrlKey];
        lines.Add(string.IsNullOrEmpty(own)
            ? "Target database: none; backups are snapshots of a simulated volume (set Sandbox:DatabaseUrl to run pg_dump and Alembic against a database of the sandbox's own)."
            : $"Target database: the sandbox's own, {DatabaseUrlKey} ({TargetConnection.Parse(own)}), for {configuration["ChatOps:DefaultEnvironment"] ?? "production"}; backups, restores and migrations run there.");
        return lines;
    }
}
