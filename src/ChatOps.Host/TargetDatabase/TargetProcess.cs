using System.Diagnostics;

namespace ChatOps.Host.TargetDatabase;

/// <summary>Runs pg_dump and psql with their own environment, streaming stdin/stdout, bounded in time.</summary>
public static class TargetProcess
{
    public static Process Start(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, bool redirectInput)
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

    /// <summary>Waits for exit; on cancellation or timeout the process is killed so nothing lingers.</summary>
    public static async Task<int> WaitAsync(Process process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
                throw;
            throw new TimeoutException($"{Path.GetFileName(process.StartInfo.FileName)} did not finish within {timeout}.");
        }
    }
}
