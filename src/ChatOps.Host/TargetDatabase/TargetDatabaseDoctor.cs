using ChatOps.Core.Ports;
using ChatOps.Core.Settings;
using ChatOps.Host.Doctor;

namespace ChatOps.Host.TargetDatabase;

/// <summary>Each environment's target database (connects, pg_dump can dump it, the expected tables), and the backup directory.</summary>
internal sealed class TargetDatabaseDoctor(ChatOpsSettings settings, TargetPostgres postgres) : IDoctorChecks
{
    public string Name => "Target database";

    public string GeneralFix => "check ChatOps:Environments:<env>:DatabaseUrl.";

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var rows = new List<DoctorCheck>();
        foreach (var (name, env) in settings.Environments)
        {
            if (env.DatabaseUrl.Length > 0)
                rows.AddRange(await DatabaseAsync(name, env, cancellationToken));
            if (env.Backup.Mode == "pg_dump")
                rows.Add(BackupDirectory(name, env.Backup.Directory));
        }
        return rows;
    }

    private async Task<List<DoctorCheck>> DatabaseAsync(string name, EnvironmentSettings env, CancellationToken cancellationToken)
    {
        var target = TargetConnection.Parse(env.DatabaseUrl);
        var check = $"{name} database {target}";
        int server;
        try
        {
            server = await PostgresVersions.ServerMajorAsync(target, cancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return [DoctorCheck.Problem(check, $"cannot connect: {target.Scrub(e.Message)}",
                $"check ChatOps:Environments:{name}:DatabaseUrl (host, port, user, password) and that the bot's network reaches it (Fly: the .flycast or .internal address).")];
        }
        var rows = new List<DoctorCheck> { DoctorCheck.Pass(check, $"connects; PostgreSQL {server}.") };
        if (env.Backup.Mode == "pg_dump")
        {
            try
            {
                var client = await PostgresVersions.PgDumpMajorAsync(cancellationToken);
                rows.Add(PostgresVersions.Mismatch(client, server, check) is { } mismatch
                    ? DoctorCheck.Problem($"pg_dump for {name}", mismatch, $"the image's PG_MAJOR build argument must be at least {server}.")
                    : DoctorCheck.Pass($"pg_dump for {name}", $"pg_dump {client} can dump PostgreSQL {server}."));
            }
            catch (InvalidOperationException e)
            {
                rows.Add(DoctorCheck.Problem($"pg_dump for {name}", e.Message, "install postgresql-client of the server's major version (the image does, from PG_MAJOR)."));
            }
        }
        var expected = env.Migrations.ExpectedTables;
        var report = await postgres.VerifyAsync(target, expected, null, cancellationToken);
        rows.Add(report.MissingTables.Count == 0
            ? DoctorCheck.Pass($"{name} tables", $"{expected.Count} expected tables present; alembic_version {report.AlembicVersion ?? "empty"}.")
            : DoctorCheck.Problem($"{name} tables", $"missing {string.Join(", ", report.MissingTables)}.",
                $"is DatabaseUrl the application's database? If so, run the migrations once (fly ssh console -a {env.Migrations.App} -C \"{env.Migrations.Command}\"), or fix Migrations:ExpectedTables."));
        return rows;
    }

    private static DoctorCheck BackupDirectory(string name, string directory)
    {
        var full = Path.GetFullPath(directory);
        var check = $"{name} backup directory {full}";
        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".doctor-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            var free = new DriveInfo(full).AvailableFreeSpace;
            return DoctorCheck.Pass(check, $"writable; {free / (1024 * 1024)} MB free.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DoctorCheck.Problem(check, $"not writable: {e.Message}",
                $"point ChatOps:Environments:{name}:Backup:Directory at the volume (the image uses /data/backups) or fix its owner.");
        }
    }
}
