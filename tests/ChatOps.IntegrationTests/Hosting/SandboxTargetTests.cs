using ChatOps.Core.Settings;
using ChatOps.Host.Sandbox;
using ChatOps.IntegrationTests.Harness;
using Microsoft.Extensions.Configuration;

namespace ChatOps.IntegrationTests.Hosting;

/// <summary>The sandbox touches only its own: simulated GitHub and Fly, and no target database but Sandbox:DatabaseUrl.</summary>
public sealed class SandboxTargetTests
{
    private const string RealTarget = "postgres://app:real-secret@127.0.0.1:1/production_app";

    [Fact]
    public async Task A_sandbox_never_backs_up_or_migrates_the_database_configured_for_an_environment()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?>
        {
            ["ChatOps:Environments:production:DatabaseUrl"] = RealTarget,
            ["ChatOps:Environments:staging:DatabaseUrl"] = RealTarget,
        });

        var settings = bot.Get<ChatOpsSettings>();
        Assert.All(settings.Environments.Values, env => Assert.Equal("", env.DatabaseUrl));
        Assert.Equal("fly-snapshot", settings.Environments["production"].Backup.Mode);
        await bot.SayAsync("/release v0.2.0");
        await bot.SayAsync("/as bob");
        var done = await bot.SayAsync("/approve 1");
        Assert.Contains("✅ Released v0.2.0", done);
        Assert.Equal("fly-snapshot", (await bot.ReleaseAsync(1)).Outputs.Backup?.Kind);
    }

    [Fact]
    public async Task Sandbox_DatabaseUrl_is_the_default_environment_s_target_and_no_other_environment_gets_one()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:DatabaseUrl"] = "postgres://sandbox:pw@127.0.0.1:1/sandbox_target",
            ["ChatOps:Environments:staging:DatabaseUrl"] = RealTarget,
            ["ChatOps:Environments:production:Backup:Directory"] = Path.GetTempPath(),
        });

        var settings = bot.Get<ChatOpsSettings>();
        Assert.Equal("postgres://sandbox:pw@127.0.0.1:1/sandbox_target", settings.Environments["production"].DatabaseUrl);
        Assert.Equal("", settings.Environments["staging"].DatabaseUrl);
    }

    [Fact]
    public async Task A_sandbox_smoke_test_aimed_at_a_host_no_service_names_goes_to_a_simulated_service()
    {
        await using var bot = await SandboxBot.StartAsync();
        // As an operator's own setting would sit: beneath the keys that aim the sandbox (a test's settings sit above them).
        var operatorSettings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ChatOps:Environments:production:Services:0:Name"] = "api",
            ["ChatOps:Environments:production:Services:0:FlyApp"] = "myloware-api",
            ["ChatOps:Environments:production:Services:0:HealthUrl"] = "https://myloware-api.fly.dev/health",
            ["ChatOps:Environments:production:SmokeTests:0:Url"] = "https://elsewhere.example/v1/runs/{runId}",
        }).Build();

        var url = SandboxBootstrap.Overlay(operatorSettings, bot.Sandbox)["ChatOps:Environments:production:SmokeTests:0:Url"];

        Assert.StartsWith("http://127.0.0.1:", url);
        Assert.EndsWith("/v1/runs/{runId}", url);
    }

    [Fact]
    public async Task The_sandbox_banner_says_what_is_simulated_and_which_database_backups_and_migrations_use()
    {
        var (exit, stdout, stderr) = await HostProcess.RunAsync(new Dictionary<string, string>
        {
            ["ChatOps__Mode"] = "sandbox",
            ["Console__Enabled"] = "true",
            ["Urls"] = "http://127.0.0.1:0",
            ["Serilog__MinimumLevel__Default"] = "Fatal",
            ["ChatOps__Environments__production__DatabaseUrl"] = RealTarget,
        });

        Assert.True(exit == 0, $"exit {exit}\n{stderr}");
        Assert.Contains("Sandbox: GitHub (acme/myloware), Fly (myloware-api, myloware-orchestrator", stdout);
        Assert.Contains("Target database: none", stdout);
        Assert.DoesNotContain("production_app", stdout);
    }

    [Fact]
    public async Task The_sandbox_banner_names_the_sandbox_s_own_database_without_its_password()
    {
        var (exit, stdout, stderr) = await HostProcess.RunAsync(new Dictionary<string, string>
        {
            ["ChatOps__Mode"] = "sandbox",
            ["Console__Enabled"] = "true",
            ["Urls"] = "http://127.0.0.1:0",
            ["Serilog__MinimumLevel__Default"] = "Fatal",
            ["Sandbox__DatabaseUrl"] = "postgres://sandbox:sandbox-secret@127.0.0.1:1/sandbox_target",
            ["ChatOps__Environments__production__Backup__Directory"] = Path.GetTempPath(),
        });

        Assert.True(exit == 0, $"exit {exit}\n{stderr}");
        Assert.Contains("Target database: the sandbox's own, Sandbox:DatabaseUrl (sandbox@127.0.0.1:1/sandbox_target)", stdout);
        Assert.DoesNotContain("sandbox-secret", stdout + stderr);
    }
}
