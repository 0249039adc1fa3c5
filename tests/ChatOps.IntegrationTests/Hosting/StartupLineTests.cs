using ChatOps.Core.Settings;
using ChatOps.Host.Hosting;
using ChatOps.IntegrationTests.Harness;

namespace ChatOps.IntegrationTests.Hosting;

/// <summary>One line at the default level says what the process is: mode, chats, environments, store.</summary>
public sealed class StartupLineTests
{
    [Fact]
    public async Task A_started_host_writes_one_line_naming_its_mode_chats_environments_and_store_at_the_default_level()
    {
        // The console chat ends with its input (none here), and the host with it.
        var (exit, _, stderr) = await HostProcess.RunAsync(new Dictionary<string, string> { ["ChatOps__Mode"] = "sandbox", ["Console__Enabled"] = "true" }, "--Urls=http://127.0.0.1:0");

        Assert.True(exit == 0, $"exit {exit}\n{stderr}");

        var line = Assert.Single(stderr.Split('\n'), l => l.Contains("ChatOps ", StringComparison.Ordinal) && l.Contains(" sandbox: ", StringComparison.Ordinal));
        Assert.Contains("INF]", line);
        Assert.Matches(@"ChatOps \S+ sandbox: console, environments production \(2 services\), staging \(2 services\), store embedded", line);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("Warning", false)]
    [InlineData("Information", true)]
    public async Task Serilogs_standard_section_sets_the_level_per_source(string? hostingOverride, bool shown)
    {
        var environment = new Dictionary<string, string> { ["ChatOps__Mode"] = "sandbox", ["Console__Enabled"] = "true" };
        if (hostingOverride is not null)
        {
            environment["Serilog__MinimumLevel__Default"] = hostingOverride == "Warning" ? "Information" : "Warning";
            environment["Serilog__MinimumLevel__Override__ChatOps.Host.Hosting"] = hostingOverride;
        }

        var (exit, _, stderr) = await HostProcess.RunAsync(environment, "--Urls=http://127.0.0.1:0");

        Assert.True(exit == 0, $"exit {exit}\n{stderr}");
        Assert.Equal(shown, stderr.Contains(" sandbox: console, ", StringComparison.Ordinal));
        // The console's own line is another source: it follows the default, not the override.
        Assert.Equal(hostingOverride != "Information", stderr.Contains("Console chat closed", StringComparison.Ordinal));
    }

    [Fact]
    public void A_live_bot_on_a_telegram_webhook_with_one_environment_and_postgres_says_so()
    {
        var settings = new ChatOpsSettings();
        settings.Environments["production"] = new EnvironmentSettings { Services = [new ServiceSettings { Name = "api" }] };

        var line = StartupLine.Text("1.2.3+abcdef", "live", ["Telegram (webhook)"], settings, "postgres");

        Assert.Equal("ChatOps 1.2.3 live: Telegram (webhook), environments production (1 service), store postgres", line);
    }

    [Fact]
    public void A_bot_with_no_environment_and_no_chat_says_that_too() =>
        Assert.Equal("ChatOps 1.0.0 live: no chat, no environment, store embedded", StartupLine.Text("1.0.0", "live", [], new ChatOpsSettings(), "embedded"));
}
