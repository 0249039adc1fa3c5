using ChatOps.IntegrationTests.Harness;

namespace ChatOps.IntegrationTests.Hosting;

/// <summary>The host's command line as an operator types it: verbs first, options after, nothing silently ignored.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_prints_the_verbs_and_the_options_and_starts_nothing(string help)
    {
        var (exit, stdout, stderr) = await HostProcess.RunAsync(new Dictionary<string, string> { ["ChatOps__Mode"] = "live" }, help);

        Assert.True(exit == 0, $"exit {exit}\n{stderr}");
        foreach (var word in new[] { "doctor", "simulators", "--config FILE", "--Key=value", "--version", "docs/configuration.md" })
            Assert.Contains(word, stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task Version_prints_the_version_and_starts_nothing()
    {
        var (exit, stdout, stderr) = await HostProcess.RunAsync(new Dictionary<string, string> { ["ChatOps__Mode"] = "live" }, "--version");

        Assert.True(exit == 0, $"exit {exit}\n{stderr}");
        Assert.Matches(@"^ChatOps\.Host \S+\s*$", stdout);
    }

    [Fact]
    public async Task A_verb_in_second_place_stops_with_one_line_instead_of_starting_a_bot()
    {
        var config = Path.Combine(Path.GetTempPath(), $"chatops-cli-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, "{}");
        try
        {
            var (exit, stdout, stderr) = await HostProcess.RunAsync(
                new Dictionary<string, string> { ["ChatOps__Mode"] = "sandbox", ["Console__Enabled"] = "true", ["Urls"] = "http://127.0.0.1:0" },
                "--config", config, "doctor");

            Assert.True(exit == 2, $"exit {exit}\n{stdout}\n{stderr}");
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("'doctor' is a verb and goes first", line);
            Assert.DoesNotContain("ChatOps console", stdout);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Theory]
    [InlineData("start")]
    [InlineData("--ChatOps:Mode")]
    public async Task An_argument_the_host_does_not_know_stops_it_with_one_line_and_exit_code_2(string argument)
    {
        var (exit, stdout, stderr) = await HostProcess.RunAsync(
            new Dictionary<string, string> { ["ChatOps__Mode"] = "sandbox", ["Console__Enabled"] = "true", ["Urls"] = "http://127.0.0.1:0" }, argument);

        Assert.True(exit == 2, $"exit {exit}\n{stdout}\n{stderr}");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"'{argument}'", line);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
