using System.Net;
using System.Net.Sockets;
using ChatOps.Host.TargetDatabase;
using ChatOps.IntegrationTests.Harness;

namespace ChatOps.IntegrationTests.Hosting;

/// <summary>How the host picks its mode, where it listens, and what it refuses before doing anything.</summary>
public sealed class StartUpModeTests
{
    private static string FatalLine(string stderr) =>
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("FTL", StringComparison.Ordinal));

    [Fact]
    public async Task Auto_mode_with_only_a_telegram_token_stops_with_one_line_listing_what_live_mode_lacks()
    {
        var (exit, _, stderr) = await HostProcess.RunAsync(new Dictionary<string, string> { ["TELEGRAM_BOT_TOKEN"] = "123456:SECRETTOKENVALUE" }, "--Urls=http://127.0.0.1:0");

        Assert.True(exit == 2, $"exit {exit}\n{stderr}");
        var line = FatalLine(stderr);
        Assert.Contains("GitHub:Token (GITHUB_TOKEN)", line);
        Assert.Contains("Fly:ApiToken (FLY_API_TOKEN)", line);
        Assert.Contains("ChatOps:Mode=sandbox", line);
        Assert.DoesNotContain("SECRETTOKENVALUE", stderr);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_mode_refuses_the_sandbox_s_example_repository_and_apps_copied_into_its_settings()
    {
        var (exit, _, stderr) = await HostProcess.RunAsync(new Dictionary<string, string>
        {
            ["ChatOps__Mode"] = "live",
            ["TELEGRAM_BOT_TOKEN"] = "123456:TEST",
            ["GITHUB_TOKEN"] = "ghp_example",
            ["FLY_API_TOKEN"] = "fly-example",
            ["GitHub__Repository"] = "acme/myloware",
            ["ChatOps__Environments__production__Services__0__Name"] = "api",
            ["ChatOps__Environments__production__Services__0__FlyApp"] = "myloware-api",
        }, "--Urls=http://127.0.0.1:0");

        Assert.True(exit == 2, $"exit {exit}\n{stderr}");
        var line = FatalLine(stderr);
        Assert.Contains("still the example value: GitHub:Repository=acme/myloware", line);
        Assert.Contains("Services:0:FlyApp=myloware-api", line);
    }

    [Fact]
    public async Task A_port_in_use_stops_the_host_with_one_line_naming_the_address_and_the_key()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var (exit, _, stderr) = await HostProcess.RunAsync(new Dictionary<string, string> { ["ChatOps__Mode"] = "sandbox" }, $"--Urls=http://127.0.0.1:{port}");

        Assert.True(exit == 2, $"exit {exit}\n{stderr}");
        var line = FatalLine(stderr);
        Assert.Contains($"127.0.0.1:{port}", line);
        Assert.Contains("Urls", line);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_logs_are_compact_json_and_carry_no_token()
    {
        var (exit, _, stderr) = await HostProcess.RunAsync(new Dictionary<string, string>
        {
            ["Logging__Format"] = "json",
            ["ChatOps__Mode"] = "live",
            ["TELEGRAM_BOT_TOKEN"] = "123456:SECRETTOKENVALUE",
        }, "--Urls=http://127.0.0.1:0");

        Assert.True(exit == 2, $"exit {exit}\n{stderr}");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("{\"@t\":", line);
        Assert.Contains("\"@l\":\"Fatal\"", line);
        Assert.DoesNotContain("SECRETTOKENVALUE", stderr);
    }

    [Theory]
    [InlineData(16, 17, false)]
    [InlineData(17, 17, true)]
    [InlineData(17, 15, true)]
    public void Pg_dump_is_refused_only_for_a_server_of_a_newer_major_version(int client, int server, bool fine)
    {
        var mismatch = PostgresVersions.Mismatch(client, server, "of production");

        Assert.Equal(fine, mismatch is null);
        if (!fine)
            Assert.Contains($"PG_MAJOR={server}", mismatch);
    }

    [Fact]
    public void The_client_major_version_is_read_from_pg_dump_version_output() =>
        Assert.Equal(17, PostgresVersions.ParseClientMajor("pg_dump (PostgreSQL) 17.2 (Debian 17.2-1.pgdg120+1)\n"));
}
