using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ChatOps.Sandbox.Tests;

public sealed class GitHubContentsTests : SandboxFixture
{
    [Fact]
    public async Task File_content_is_base64_wrapped_every_60_characters_with_the_git_blob_sha()
    {
        var file = await Json(GitHub.GetAsync($"{RepoPath}/contents/CHANGELOG.md?ref=main"));

        var content = (string)file["content"]!;
        var lines = content.Split('\n');
        Assert.True(lines.Length > 2);
        Assert.All(lines[..^2], line => Assert.Equal(60, line.Length));
        Assert.Equal("", lines[^1]);
        var bytes = Convert.FromBase64String(content.Replace("\n", ""));
        Assert.StartsWith("# Changelog\n\n## v0.1.0", Encoding.UTF8.GetString(bytes));
        var blob = Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {bytes.Length}\0"), .. bytes]));
        Assert.Equal(blob, (string?)file["sha"]);
        Assert.Equal("base64", (string?)file["encoding"]);
    }

    [Fact]
    public async Task Updating_with_a_stale_sha_answers_409_and_without_a_sha_answers_422()
    {
        var content = Convert.ToBase64String(Encoding.UTF8.GetBytes("# Changelog\n"));
        var stale = new string('a', 40);

        using var conflict = await GitHub.PutAsync($"{RepoPath}/contents/CHANGELOG.md", Body(new { message = "Update", content, sha = stale }));
        using var missing = await GitHub.PutAsync($"{RepoPath}/contents/CHANGELOG.md", Body(new { message = "Update", content }));

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal($"CHANGELOG.md does not match {stale}", (string?)(await ReadJson(conflict))["message"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Equal("Invalid request.\n\n\"sha\" wasn't supplied.", (string?)(await ReadJson(missing))["message"]);
        Assert.Equal(0, Sandbox.Mutations.Count("github.contents:"));
    }

    [Fact]
    public async Task An_update_with_the_current_sha_commits_on_the_branch_and_moves_the_head()
    {
        var before = Sandbox.GitHub.HeadSha;
        var sha = (string)(await Json(GitHub.GetAsync($"{RepoPath}/contents/CHANGELOG.md")))["sha"]!;
        var content = Convert.ToBase64String(Encoding.UTF8.GetBytes("# Changelog\n\n## v0.2.0\n"));

        using var updated = await GitHub.PutAsync($"{RepoPath}/contents/CHANGELOG.md", Body(new { message = "Update changelog for v0.2.0", content, sha }));
        using var created = await GitHub.PutAsync($"{RepoPath}/contents/VERSION", Body(new { message = "Add VERSION", content = "MC4yLjAK" }));

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("# Changelog\n\n## v0.2.0\n", Sandbox.GitHub.ReadFile("CHANGELOG.md"));
        Assert.NotEqual(before, Sandbox.GitHub.HeadSha);
        var commitSha = (string)(await ReadJson(created))["commit"]!["sha"]!;
        Assert.Equal(Sandbox.GitHub.HeadSha, commitSha);
        var checks = await Json(GitHub.GetAsync($"{RepoPath}/commits/{commitSha}/check-runs"));
        Assert.Equal(4, (int)checks["total_count"]!);
        Assert.Equal(2, Sandbox.Mutations.Count("github.contents:"));
    }
}
