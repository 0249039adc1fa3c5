using System.Diagnostics;
using ChatOps.Sandbox;

namespace ChatOps.Host.Sandbox;

/// <summary>
/// The sandbox's Fly exec when a target database is configured: <c>alembic …</c> runs for real, in the
/// sandbox target app's Alembic project, against that database.
/// </summary>
public sealed class RealAlembic(string projectDirectory, string databaseUrl, string python)
{
    public static string DefaultProject => Path.Combine(AppContext.BaseDirectory, "TargetApp");

    public static string DefaultPython => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public async Task<FlyExecResult> RunAsync(FlyExecRequest request, CancellationToken cancellationToken)
    {
        var argv = request.Command.ToList();
        if (argv.Count == 3 && argv[0] is "sh" or "/bin/sh" && argv[1] == "-c")
            argv = argv[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (argv.Count == 0 || argv[0] != "alembic")
            return new FlyExecResult(127, "", $"sh: 1: {(argv.Count == 0 ? "" : argv[0])}: not found\n");

        var info = new ProcessStartInfo(python)
        {
            WorkingDirectory = projectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var part in new[] { "-m", "alembic", "-c", Path.Combine(projectDirectory, "alembic.ini") }.Concat(argv.Skip(1)))
            info.ArgumentList.Add(part);
        info.Environment["DATABASE_URL"] = databaseUrl;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{python} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(request.TimeoutSeconds ?? 120));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new FlyExecResult(process.ExitCode, await stdout, await stderr);
    }
}
