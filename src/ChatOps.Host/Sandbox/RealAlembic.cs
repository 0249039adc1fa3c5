using System.Diagnostics;
using ChatOps.Sandbox;

namespace ChatOps.Host.Sandbox;

/// <summary>
/// The sandbox's Fly exec when a target database is configured: <c>alembic …</c> runs for real, against that
/// database, in the copy of the sandbox target app that the machine's image holds (<see cref="ImageProjects"/>).
/// Shell chains (<c>&amp;&amp;</c>, <c>;</c>, <c>cd</c>, <c>echo</c>) run as on the simulated machine.
/// </summary>
public sealed class RealAlembic(string projectDirectory, string databaseUrl, string python, Func<string, string?>? tagOf = null)
{
    // Without the sandbox's registry, an image's tag is the one written in it (a digest alone resolves to no tag).
    private readonly ImageProjects _projects = new(projectDirectory, tagOf ?? new SimulatedRegistry().TagOf);

    public static string DefaultProject => Path.Combine(AppContext.BaseDirectory, "TargetApp");

    public static string DefaultPython => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public Task<FlyExecResult> RunAsync(FlyExecRequest request, CancellationToken cancellationToken)
    {
        var project = _projects.For(request.Image);
        return ShellChain.RunAsync(request.Command, "alembic",
            (words, token) => AlembicAsync(project, words, request.TimeoutSeconds, token), cancellationToken);
    }

    private async Task<FlyExecResult> AlembicAsync(string project, IReadOnlyList<string> words, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(python)
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var part in new[] { "-m", "alembic", "-c", Path.Combine(project, "alembic.ini") }.Concat(words.Skip(1)))
            info.ArgumentList.Add(part);
        info.Environment["DATABASE_URL"] = databaseUrl;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{python} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds ?? 120));
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
