using System.Diagnostics;

namespace ChatOps.IntegrationTests.Harness;

/// <summary>The published host run as a child process, as an operator starts it; bounded in time, killed if it overstays.</summary>
public static class HostProcess
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(environment, args))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The host did not exit within 2 minutes.\n{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The host left running (to be asked over HTTP) until the returned handle is disposed.</summary>
    public static RunningHost Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var process = Process.Start(StartInfo(environment, args))!;
        process.StandardInput.Close();
        return new RunningHost(process);
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "ChatOps.Host.dll");
        var info = new ProcessStartInfo("dotnet", [host, .. args])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        // What the test runner's own environment might say about tokens, addresses and the environment's name.
        foreach (var key in new[]
        {
            "TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN", "FLY_API_TOKEN", "GITHUB_TOKEN", "DATABASE_URL",
            "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT",
        })
        {
            info.Environment.Remove(key);
        }
        info.Environment["Console__Enabled"] = "false";
        // Hosts run side by side: none takes the default metrics port unless a test gives it one.
        info.Environment["Metrics__Port"] = "0";
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        return info;
    }
}
