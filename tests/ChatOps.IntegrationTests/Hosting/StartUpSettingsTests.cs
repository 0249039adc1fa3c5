using System.Diagnostics;
using ChatOps.IntegrationTests.Harness;
using Microsoft.Extensions.Options;

namespace ChatOps.IntegrationTests.Hosting;

/// <summary>The runner's and the console's settings are checked at start-up like every other section.</summary>
public sealed class StartUpSettingsTests
{
    [Fact]
    public async Task A_zero_sweep_interval_stops_the_host_with_one_line_naming_the_key()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await SandboxBot.StartAsync(new Dictionary<string, string?> { ["ChatOps:SweepInterval"] = "0" }));

        Assert.Equal("ChatOps:SweepInterval must be a positive duration (was 00:00:00)", Assert.Single(failure.Failures));
    }

    [Fact]
    public async Task A_negative_lease_ttl_stops_the_host_with_one_line_naming_the_key()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await SandboxBot.StartAsync(new Dictionary<string, string?> { ["ChatOps:LeaseTtl"] = "-00:00:05" }));

        Assert.Equal("ChatOps:LeaseTtl must be a positive duration (was -00:00:05)", Assert.Single(failure.Failures));
    }

    [Fact]
    public async Task A_migrations_app_that_runs_none_of_the_services_stops_the_host_with_one_line_naming_the_key()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await SandboxBot.StartAsync(new Dictionary<string, string?> { ["ChatOps:Environments:production:Migrations:App"] = "myloware-db" }));

        Assert.StartsWith("ChatOps:Environments:production:Migrations:App 'myloware-db' must be the FlyApp of one of its Services", Assert.Single(failure.Failures));
    }

    [Fact]
    public async Task A_freeze_with_a_bad_cron_and_an_unknown_time_zone_stops_the_host_naming_both_keys()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await SandboxBot.StartAsync(new Dictionary<string, string?>
            {
                ["ChatOps:Environments:production:Freezes:0:Cron"] = "0 18 * FRI",
                ["ChatOps:Environments:production:Freezes:0:Duration"] = "2.14:00:00",
                ["ChatOps:Environments:production:Freezes:0:TimeZone"] = "Europe/Berlln",
                ["ChatOps:Environments:production:Freezes:0:Reason"] = "weekend",
            }));

        Assert.Collection(failure.Failures,
            cron => Assert.StartsWith("ChatOps:Environments:production:Freezes:0:Cron '0 18 * FRI' is not a five-field cron expression", cron),
            zone => Assert.StartsWith("ChatOps:Environments:production:Freezes:0:TimeZone 'Europe/Berlln' is not a time zone", zone));
    }

    [Fact]
    public async Task A_console_user_that_is_not_a_name_stops_the_host_with_one_line_naming_the_key()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Console:User"] = "alice smith" }));

        Assert.StartsWith("Console:User must be", Assert.Single(failure.Failures));
    }

    [Fact]
    public async Task The_host_process_refuses_a_zero_sweep_interval_with_one_line_and_exit_code_2()
    {
        var (exitCode, stderr) = await RunHostAsync(new Dictionary<string, string> { ["ChatOps__SweepInterval"] = "0" });

        Assert.True(exitCode == 2, $"exit {exitCode}\n{stderr}");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("FTL", StringComparison.Ordinal));
        Assert.EndsWith("Configuration: ChatOps:SweepInterval must be a positive duration (was 00:00:00)", line.TrimEnd());
        // One line per mistake, not a stack trace.
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_process_names_every_bad_key_when_several_sections_are_wrong()
    {
        var (exitCode, stderr) = await RunHostAsync(new Dictionary<string, string>
        {
            ["ChatOps__VerifyAttempts"] = "0",
            ["Console__User"] = "a:b",
        });

        Assert.True(exitCode == 2, $"exit {exitCode}\n{stderr}");
        Assert.Contains("Configuration: ChatOps:VerifyAttempts must be at least 1 (was 0)", stderr);
        Assert.Contains("Configuration: Console:User must be", stderr);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stderr)> RunHostAsync(IReadOnlyDictionary<string, string> environment)
    {
        // As a newcomer starts it: the sandbox's console on (it reads a closed stdin and leaves), every port free.
        var settings = new Dictionary<string, string> { ["Urls"] = "http://127.0.0.1:0", ["Console__Enabled"] = "true" };
        foreach (var (key, value) in environment)
            settings[key] = value;
        var (exitCode, _, stderr) = await HostProcess.RunAsync(settings, "--urls", "http://127.0.0.1:0");
        return (exitCode, stderr);
    }
}
