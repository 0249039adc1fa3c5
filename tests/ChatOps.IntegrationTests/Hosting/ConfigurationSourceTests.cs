using System.Net;
using System.Text.Json;
using ChatOps.IntegrationTests.Harness;

namespace ChatOps.IntegrationTests.Hosting;

/// <summary>
/// The standard configuration sources on top of the top-level appsettings.json, seen from outside the process: where
/// the host listens, and what it refuses. The top-level file names no address, so the platform's variables decide.
/// </summary>
public sealed class ConfigurationSourceTests
{
    private static readonly Dictionary<string, string> Sandbox = new() { ["ChatOps__Mode"] = "sandbox" };

    private static Dictionary<string, string> SandboxWith(params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>(Sandbox);
        foreach (var (key, value) in settings)
            environment[key] = value;
        return environment;
    }

    [Fact]
    public async Task ASPNETCORE_URLS_sets_where_the_host_listens()
    {
        var port = RunningHost.FreePort();
        await using var host = HostProcess.Start(SandboxWith(("ASPNETCORE_URLS", $"http://127.0.0.1:{port}")));

        Assert.Equal(HttpStatusCode.OK, await host.AnswerAsync(port));
    }

    [Fact]
    public async Task ASPNETCORE_HTTP_PORTS_alone_moves_the_host_off_its_loopback_default_as_the_image_needs()
    {
        var port = RunningHost.FreePort();
        await using var host = HostProcess.Start(SandboxWith(("ASPNETCORE_HTTP_PORTS", $"{port}")));

        Assert.Equal(HttpStatusCode.OK, await host.AnswerAsync(port));
    }

    [Fact]
    public async Task ASPNETCORE_URLS_wins_over_ASPNETCORE_HTTP_PORTS_as_ASP_NET_Core_documents()
    {
        var (urls, ports) = (RunningHost.FreePort(), RunningHost.FreePort());
        await using var host = HostProcess.Start(SandboxWith(("ASPNETCORE_URLS", $"http://127.0.0.1:{urls}"), ("ASPNETCORE_HTTP_PORTS", $"{ports}")));

        Assert.Equal(HttpStatusCode.OK, await host.AnswerAsync(urls));
        Assert.False(await RunningHost.ListensAsync(ports), $"the host listens on ASPNETCORE_HTTP_PORTS' {ports} too");
    }

    [Theory]
    [InlineData("DOTNET_ENVIRONMENT")]
    [InlineData("ASPNETCORE_ENVIRONMENT")]
    public async Task The_appsettings_file_of_the_environment_named_by_the_variable_is_read(string variable)
    {
        var port = RunningHost.FreePort();
        await using var file = EnvironmentFile.Write(new { Urls = $"http://127.0.0.1:{port}" });
        await using var host = HostProcess.Start(SandboxWith((variable, file.Environment)));

        Assert.Equal(HttpStatusCode.OK, await host.AnswerAsync(port));
    }

    [Fact]
    public async Task ASPNETCORE_URLS_wins_over_the_Urls_of_an_appsettings_file()
    {
        var (fromFile, fromVariable) = (RunningHost.FreePort(), RunningHost.FreePort());
        await using var file = EnvironmentFile.Write(new { Urls = $"http://127.0.0.1:{fromFile}" });
        await using var host = HostProcess.Start(SandboxWith(("DOTNET_ENVIRONMENT", file.Environment), ("ASPNETCORE_URLS", $"http://127.0.0.1:{fromVariable}")));

        Assert.Equal(HttpStatusCode.OK, await host.AnswerAsync(fromVariable));
        Assert.False(await RunningHost.ListensAsync(fromFile), $"the host listens on the file's {fromFile} too");
    }

    [Fact]
    public async Task The_Urls_of_an_appsettings_file_wins_over_ASPNETCORE_HTTP_PORTS_as_ASP_NET_Core_documents()
    {
        // Why docs/configuration.md says never to put Urls in a file the image carries: the platform's port would be ignored.
        var (fromFile, ports) = (RunningHost.FreePort(), RunningHost.FreePort());
        await using var file = EnvironmentFile.Write(new { Urls = $"http://127.0.0.1:{fromFile}" });
        await using var host = HostProcess.Start(SandboxWith(("DOTNET_ENVIRONMENT", file.Environment), ("ASPNETCORE_HTTP_PORTS", $"{ports}")));

        Assert.Equal(HttpStatusCode.OK, await host.AnswerAsync(fromFile));
        Assert.False(await RunningHost.ListensAsync(ports), $"the host listens on ASPNETCORE_HTTP_PORTS' {ports} too");
    }

    [Fact]
    public async Task A_command_line_Urls_wins_over_ASPNETCORE_URLS()
    {
        var (fromVariable, fromCommandLine) = (RunningHost.FreePort(), RunningHost.FreePort());
        await using var host = HostProcess.Start(SandboxWith(("ASPNETCORE_URLS", $"http://127.0.0.1:{fromVariable}")), $"--Urls=http://127.0.0.1:{fromCommandLine}");

        Assert.Equal(HttpStatusCode.OK, await host.AnswerAsync(fromCommandLine));
        Assert.False(await RunningHost.ListensAsync(fromVariable), $"the host listens on ASPNETCORE_URLS' {fromVariable} too");
    }

    [Fact]
    public async Task A_command_line_key_wins_over_the_same_key_in_the_environment()
    {
        var (exit, _, stderr) = await HostProcess.RunAsync(
            SandboxWith(("ChatOps__SweepInterval", "00:00:05"), ("Urls", "http://127.0.0.1:0")), "--ChatOps:SweepInterval=0");

        Assert.True(exit == 2, $"exit {exit}\n{stderr}");
        Assert.Contains("Configuration: ChatOps:SweepInterval must be a positive duration (was 00:00:00)", stderr);
    }

    [Fact]
    public async Task A_command_line_mode_wins_over_the_environment_s_live_mode()
    {
        // Live mode would stop at once on the missing GitHub and Fly settings; the sandbox's console reads the closed
        // stdin and leaves, so the host ends on its own with 0.
        var (exit, _, stderr) = await HostProcess.RunAsync(
            new Dictionary<string, string> { ["ChatOps__Mode"] = "live", ["Console__Enabled"] = "true", ["Urls"] = "http://127.0.0.1:0" },
            "--ChatOps:Mode=sandbox");

        Assert.True(exit == 0, $"exit {exit}\n{stderr}");
        Assert.DoesNotContain("ChatOps:Mode is live", stderr);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    /// <summary>An appsettings.{Environment}.json beside the host for an environment name of its own, removed afterwards.</summary>
    private sealed class EnvironmentFile : IAsyncDisposable
    {
        private readonly string _path;

        private EnvironmentFile(string environment, string path)
        {
            Environment = environment;
            _path = path;
        }

        public string Environment { get; }

        public static EnvironmentFile Write(object settings)
        {
            // Its own name, so that no other test's host reads it.
            var environment = $"Staging{Guid.NewGuid():N}";
            var path = Path.Combine(AppContext.BaseDirectory, $"appsettings.{environment}.json");
            File.WriteAllText(path, JsonSerializer.Serialize(settings));
            return new EnvironmentFile(environment, path);
        }

        public ValueTask DisposeAsync()
        {
            File.Delete(_path);
            return ValueTask.CompletedTask;
        }
    }
}
