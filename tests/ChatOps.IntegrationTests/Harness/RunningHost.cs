using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatOps.IntegrationTests.Harness;

/// <summary>A host process started by <see cref="HostProcess.Start"/>: asked over loopback HTTP, killed when disposed.</summary>
public sealed class RunningHost : IAsyncDisposable
{
    private static readonly TimeSpan StartUp = TimeSpan.FromMinutes(1);
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public RunningHost(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
        // Drained so that a chatty host never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
    }

    /// <summary>A loopback port nobody listens on at the moment of asking.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Waits until the host answers GET <paramref name="path"/> on 127.0.0.1:<paramref name="port"/>, and returns the
    /// status; fails with the host's stderr if the host exits first or nothing answers there in time.
    /// </summary>
    public async Task<HttpStatusCode> AnswerAsync(int port, string path = "/health/live")
    {
        using var limit = new CancellationTokenSource(StartUp);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The host exited with {_process.ExitCode} before answering on port {port}.\n{await _stderr}");
            try
            {
                using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"), limit.Token);
                return response.StatusCode;
            }
            catch (HttpRequestException) when (!limit.IsCancellationRequested)
            {
                // Not listening yet: Kestrel binds once the host has built its services.
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                throw new TimeoutException($"Nothing answered on port {port} within {StartUp.TotalSeconds:0} s.");
            }
            try
            {
                await Task.Delay(Eventually.DefaultPoll * 4, limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Nothing answered on port {port} within {StartUp.TotalSeconds:0} s.");
            }
        }
    }

    /// <summary>Whether anything accepts a connection on 127.0.0.1:<paramref name="port"/> right now.</summary>
    public static async Task<bool> ListensAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _http.Dispose();
    }
}
