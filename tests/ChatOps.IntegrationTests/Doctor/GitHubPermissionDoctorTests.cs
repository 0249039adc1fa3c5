using ChatOps.Core.Ports;
using ChatOps.IntegrationTests.Harness;

namespace ChatOps.IntegrationTests.Doctor;

/// <summary>The doctor tries each GitHub permission live, against a simulated GitHub that refuses as GitHub does.</summary>
public sealed class GitHubPermissionDoctorTests
{
    [Fact]
    public async Task A_token_without_deployments_write_is_a_problem_naming_the_permission_and_its_use()
    {
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox());
        bot.Sandbox.GitHubAccess.Revoke("deployments");

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var rows = await bot.Get<IDoctor>().CheckAsync(timeout.Token);

        var row = Assert.Single(rows, r => r.Name.StartsWith("GitHub token permission", StringComparison.Ordinal) && !r.Ok);
        Assert.Equal("GitHub token permission Deployments", row.Name);
        Assert.Contains("GitHub token lacks Deployments: write (needed to record deployments)", row.Detail);
        Assert.Contains("Resource not accessible by personal access token", row.Detail);
        Assert.Contains("deployments=write", row.Detail);
        Assert.Contains(rows, r => r.Name == "GitHub token permission Contents" && r.Ok);
        Assert.Equal(1, DoctorCheck.ExitCode(rows));
    }

    [Fact]
    public async Task A_token_with_read_only_contents_is_told_it_cannot_tag()
    {
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox());
        bot.Sandbox.GitHubAccess.Grant("contents", "read");

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var rows = await bot.Get<IDoctor>().CheckAsync(timeout.Token);

        var row = Assert.Single(rows, r => r.Name == "GitHub token permission Contents");
        Assert.False(row.Ok);
        Assert.Contains("GitHub token lacks Contents: write (needed to create tags, write CHANGELOG.md and create releases)", row.Detail);
        Assert.True(rows.Single(r => r.Name == "GitHub token permission Checks").Ok);
    }
}
