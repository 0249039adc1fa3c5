using System.Diagnostics;

namespace ChatOps.Host.TargetDatabase;

/// <summary>
/// Runs pg_dump and psql with their own environment. The whole life of the process, streams included, is bounded:
/// on timeout or cancellation it is killed (with its children), so a pipe blocked behind a lock cannot outlive the step.
/// </summary>
public static class TargetProcess
{
    /// <param name="io">Streams the process's input and output; it fails as soon as the process is killed.</param>
    /// <returns>The exit code and what the process wrote to stderr.</returns>
    public static async Task<(int Exit, string Errors)> RunAsync(
        string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, bool redirectInput,
        TimeSpan timeout, Func<Process, CancellationToken, Task> io, CancellationToken cancellationToken)
    {
        using var process = Start(file, arguments, environment, redirectInput);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        await using var kill = limit.Token.Register(() => Kill(process));
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await io(process, limit.Token);
            await process.WaitForExitAsync(limit.Token);
            return (process.ExitCode, await stderr);
        }
        catch (Exception e) when (limit.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            if (cancellationToken.IsCancellationRequested)
                throw new OperationCanceledException($"{file} was stopped with its step.", e, cancellationToken);
            throw new TimeoutException($"{file} did not finish within {timeout} and was stopped. {Tail(await stderr)}".TrimEnd(), e);
        }
    }

    private static Process Start(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, bool redirectInput)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{file} is not installed or not on PATH (Debian: postgresql-client): {e.Message}", e);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    private static string Tail(string text) => text.Length <= 300 ? text.Trim() : "…" + text[^300..].Trim();
}
