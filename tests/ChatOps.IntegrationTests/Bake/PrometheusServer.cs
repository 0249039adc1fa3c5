using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatOps.IntegrationTests.Bake;

/// <summary>
/// A real Prometheus (Debian's package) on 127.0.0.1, started by scripts/prometheus.sh as the tests' PostgreSQL is by
/// scripts/postgres.sh, scraping the given targets every second; stopped by its PID. No silent skips: without the
/// binary these tests fail and say how to get it (under CI=true, as a FATAL, since .ci/run installs it).
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _dir;

    private PrometheusServer(string dir, Uri url)
    {
        _dir = dir;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<PrometheusServer> StartAsync(IReadOnlyList<string> targets)
    {
        RequireBinary();
        var dir = Path.Combine(Path.GetTempPath(), $"chatops-prometheus-{Guid.NewGuid():N}");
        var (code, output, errors) = await RunScriptAsync(["start", dir, FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), .. targets]);
        if (code != 0)
            throw new InvalidOperationException($"scripts/prometheus.sh start failed ({code}): {errors.Trim()}");
        return new PrometheusServer(dir, new Uri(output.Trim()));
    }

    public async ValueTask DisposeAsync()
    {
        await RunScriptAsync(["stop", _dir]);
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a process on its way out: the temporary folder is left for the OS.
        }
    }

    private static void RequireBinary()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "prometheus")));
        if (found)
            return;
        if (Environment.GetEnvironmentVariable("CI") == "true")
            throw new InvalidOperationException("FATAL: prometheus is not installed under CI=true; .ci/run installs Debian's `prometheus` package.");
        throw new InvalidOperationException("prometheus is not installed, and the bake tests need a real one: apt-get install prometheus (Debian's package).");
    }

    private static async Task<(int Code, string Output, string Errors)> RunScriptAsync(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot(), "scripts", "prometheus.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("scripts/prometheus.sh did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/prometheus.sh {arguments[0]} did not finish within {StartTimeout.TotalSeconds:0} s");
        }
        return (process.ExitCode, await output, await errors);
    }

    // Free now; the short gap before Prometheus binds it is the same race every loopback test fixture accepts.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ChatOps.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ChatOps.sln not found above the test binaries");
    }
}
