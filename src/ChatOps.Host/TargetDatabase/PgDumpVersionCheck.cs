using ChatOps.Core.Settings;
using ChatOps.Host.Hosting;

namespace ChatOps.Host.TargetDatabase;

/// <summary>
/// At start-up, before the first backup could fail on it: refuses a pg_dump target whose server is newer than the
/// installed pg_dump. A target that does not answer now is only logged (the doctor says more); the backup step
/// will fail on its own if it still does not answer then.
/// </summary>
public sealed class PgDumpVersionCheck(ChatOpsSettings settings, ILogger<PgDumpVersionCheck> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var targets = settings.Environments
            .Where(e => e.Value.Backup.Mode == "pg_dump" && e.Value.DatabaseUrl.Length > 0)
            .Select(e => (Name: e.Key, Target: TargetConnection.Parse(e.Value.DatabaseUrl)))
            .ToList();
        if (targets.Count == 0)
            return;
        int client;
        try
        {
            client = await PostgresVersions.PgDumpMajorAsync(cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            throw new StartupRefusedException($"Backup:Mode is pg_dump, but {e.Message}");
        }
        foreach (var (name, target) in targets)
        {
            int server;
            try
            {
                server = await PostgresVersions.ServerMajorAsync(target, cancellationToken);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                log.LogWarning("The target database of {Environment} ({Target}) did not answer at start-up: {Reason}", name, target.ToString(), target.Scrub(e.Message));
                continue;
            }
            if (PostgresVersions.Mismatch(client, server, $"of {name} ({target})") is { } refusal)
                throw new StartupRefusedException(refusal);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
