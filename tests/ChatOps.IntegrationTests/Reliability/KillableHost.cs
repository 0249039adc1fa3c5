using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatOps.IntegrationTests.Reliability;

/// <summary>
/// The published host as a child process on a fixed loopback port, which the kill suite ends with SIGKILL (no
/// shutdown, no lease given back, nothing flushed) and starts again. Keeps what every run wrote to stderr.
/// </summary>
public sealed class KillableHost : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private Process? _process;

    public KillableHost(string name, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        Port = FreePort();
        _environment = environment;
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public Uri TelegramWebhook => new(BaseUrl, "telegram/webhook");

    public int Starts { get; private set; }

    /// <summary>The running process's id, which the lease owner it writes contains.</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>Up: the process runs and has answered /health/ready since it was started.</summary>
    public bool Up { get; private set; }

    public string Stderr
    {
        get
        {
            lock (_gate)
                return _stderr.ToString();
        }
    }

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ChatOps.Host.dll")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var key in new[] { "TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN", "FLY_API_TOKEN", "GITHUB_TOKEN", "DATABASE_URL", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS" })
            info.Environment.Remove(key);
        foreach (var (key, value) in _environment)
            info.Environment[key] = value;
        info.Environment["Urls"] = BaseUrl.ToString().TrimEnd('/');
        // Two live hosts on one machine: only one could have the default metrics port.
        info.Environment["Metrics__Port"] = "0";
        var process = new Process { StartInfo = info };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
                return;
            lock (_gate)
                _stderr.AppendLine(line.Data);
        };
        // stdout is the console chat, off here; read so the pipe never fills.
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.StandardInput.Close();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        Up = false;
        Starts++;
    }

    /// <summary>Waits until the started process answers ready (store reachable, chat receiver running).</summary>
    public async Task WaitReadyAsync(TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            if (_process is { HasExited: true } exited)
                throw new InvalidOperationException($"{Name} exited with {exited.ExitCode} while starting:\n{Stderr}");
            try
            {
                using var response = await Http.GetAsync(new Uri(BaseUrl, "health/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Up = true;
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Name} was not ready within {limit}:\n{Stderr}");
    }

    /// <summary>SIGKILL, as `kill -9` sends it: the process gets no chance to do anything more.</summary>
    public async Task KillAsync()
    {
        Up = false;
        if (_process is not { } process)
            return;
        using (var kill = Process.Start("kill", ["-KILL", process.Id.ToString(CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        await process.WaitForExitAsync();
        process.Dispose();
        _process = null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
            await KillAsync();
        _process?.Dispose();
    }
}
