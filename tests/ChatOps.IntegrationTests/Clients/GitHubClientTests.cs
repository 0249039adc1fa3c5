using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Steps;
using ChatOps.Host.GitHub;

namespace ChatOps.IntegrationTests.Clients;

public sealed class GitHubClientTests : ClientFixture
{
    private ISourceControl GitHub => Get<ISourceControl>();

    [Fact]
    public async Task A_tag_is_created_as_an_annotated_tag_object_on_the_head()
    {
        var head = await GitHub.GetHeadShaAsync(CancellationToken.None);

        var result = await GitHub.EnsureTagAsync("v0.2.0", head, "Release v0.2.0", CancellationToken.None);

        Assert.Equal(Sandbox.GitHub.HeadSha, head);
        Assert.True(result.Created);
        var (tagObjectSha, commitSha) = Sandbox.GitHub.FindTag("v0.2.0")!.Value;
        Assert.Equal(result.TagObjectSha, tagObjectSha);
        Assert.NotEqual(head, tagObjectSha);
        Assert.Equal(head, commitSha);
        Assert.Equal(head, await GitHub.GetTagCommitAsync("v0.2.0", CancellationToken.None));
    }

    [Fact]
    public async Task Ensuring_the_same_tag_twice_creates_nothing_the_second_time()
    {
        var head = Sandbox.GitHub.HeadSha;

        var first = await GitHub.EnsureTagAsync("v0.2.0", head, "Release v0.2.0", CancellationToken.None);
        var second = await GitHub.EnsureTagAsync("v0.2.0", head, "Release v0.2.0", CancellationToken.None);

        Assert.False(second.Created);
        Assert.Equal(first.TagObjectSha, second.TagObjectSha);
        Assert.Equal(1, Sandbox.Mutations.Count("github.ref:refs/tags/v0.2.0"));
        Assert.Equal(1, Sandbox.Mutations.Count("github.tag-object:v0.2.0"));
    }

    [Fact]
    public async Task The_commit_and_the_tag_come_with_their_pages_on_github()
    {
        var head = Sandbox.GitHub.HeadSha;

        var commitPage = await GitHub.GetCommitUrlAsync(head, CancellationToken.None);
        var tag = await GitHub.EnsureTagAsync("v0.2.0", head, "Release v0.2.0", CancellationToken.None);

        Assert.Equal($"https://github.com/acme/myloware/commit/{head}", commitPage);
        Assert.Equal("https://github.com/acme/myloware/releases/tag/v0.2.0", tag.HtmlUrl);
    }

    [Fact]
    public async Task A_github_release_is_published_once_and_its_page_returned_both_times()
    {
        await GitHub.EnsureTagAsync("v0.2.0", Sandbox.GitHub.HeadSha, "Release v0.2.0", CancellationToken.None);

        var first = await GitHub.EnsureReleaseAsync("v0.2.0", "- Bump httpx", CancellationToken.None);
        var second = await GitHub.EnsureReleaseAsync("v0.2.0", "- Bump httpx", CancellationToken.None);

        Assert.Equal("https://github.com/acme/myloware/releases/tag/v0.2.0", first);
        Assert.Equal(first, second);
        Assert.Equal(1, Sandbox.Mutations.Count("github.release:v0.2.0"));
    }

    [Fact]
    public async Task A_tag_that_exists_on_another_commit_is_a_conflict()
    {
        var error = await Assert.ThrowsAsync<TagConflictException>(() =>
            GitHub.EnsureTagAsync(Sandbox.Options.InitialTag, Sandbox.GitHub.HeadSha, "again", CancellationToken.None));

        Assert.Contains(Sandbox.Options.InitialTag, error.Message);
        Assert.Equal(0, Sandbox.Mutations.Count("github."));
    }

    [Fact]
    public async Task A_failing_required_check_is_reported_with_its_conclusion_and_the_page_of_its_run()
    {
        var head = Sandbox.GitHub.HeadSha;
        Sandbox.GitHub.SetCheckRun(head, "ruff", "completed", "failure");
        Sandbox.GitHub.SetCheckRun(head, "coverage", "in_progress", null);

        var checks = await GitHub.GetChecksAsync(head, CancellationToken.None);

        Assert.Equal(new[] { "black", "coverage", "ruff", "test" }, checks.Select(c => c.Name));
        var ruff = checks.Single(c => c.Name == "ruff");
        Assert.Equal(new CheckResult("ruff", "completed", "failure"), ruff with { Url = null });
        Assert.Matches("^https://github.com/acme/myloware/runs/[0-9]+$", ruff.Url);
        Assert.Equal(new CheckResult("coverage", "in_progress", null), checks.Single(c => c.Name == "coverage") with { Url = null });
        Assert.True(checks.Single(c => c.Name == "test").Passed);
    }

    [Fact]
    public async Task Commit_statuses_are_read_beside_check_runs()
    {
        var head = Sandbox.GitHub.HeadSha;
        Sandbox.GitHub.SetStatus(head, "ci/jenkins", "pending");
        Sandbox.GitHub.SetStatus(head, "ci/lint", "success");

        var checks = await GitHub.GetChecksAsync(head, CancellationToken.None);

        Assert.Equal(new CheckResult("ci/jenkins", "pending", null), checks.Single(c => c.Name == "ci/jenkins"));
        Assert.True(checks.Single(c => c.Name == "ci/lint").Passed);
    }

    [Fact]
    public async Task Changes_are_the_commit_subjects_since_the_previous_tag_oldest_first()
    {
        await GitHub.EnsureTagAsync("v0.2.0", Sandbox.GitHub.HeadSha, "Release v0.2.0", CancellationToken.None);

        var changes = await GitHub.GetChangesAsync(Sandbox.Options.InitialTag, "v0.2.0", CancellationToken.None);
        var first = await GitHub.GetChangesAsync(null, Sandbox.Options.InitialTag, CancellationToken.None);

        Assert.Equal(new[] { "Add webhook_events table", "Bump httpx to 0.28.1" }, changes);
        Assert.Equal(new[] { "Fix flaky orchestrator retry" }, first);
    }

    [Fact]
    public async Task The_changelog_update_prepends_a_section_and_an_identical_update_changes_nothing()
    {
        static string? AddSection(string? text) =>
            text is null || text.Contains("## v0.2.0") ? text : text.Replace("# Changelog\n\n", "# Changelog\n\n## v0.2.0\n\n- Bump httpx\n\n");

        var first = await GitHub.UpdateFileAsync("CHANGELOG.md", AddSection, "docs: changelog for v0.2.0", CancellationToken.None);
        var second = await GitHub.UpdateFileAsync("CHANGELOG.md", AddSection, "docs: changelog for v0.2.0", CancellationToken.None);

        Assert.True(first.Changed);
        Assert.Equal(Sandbox.GitHub.HeadSha, first.CommitSha);
        Assert.StartsWith("# Changelog\n\n## v0.2.0\n\n- Bump httpx\n\n## v0.1.0", Sandbox.GitHub.ReadFile("CHANGELOG.md"));
        Assert.Equal(new FileUpdate(false, null, "https://github.com/acme/myloware/blob/main/CHANGELOG.md"), second);
        Assert.Equal("https://github.com/acme/myloware/blob/main/CHANGELOG.md", first.HtmlUrl);
        Assert.Equal(1, Sandbox.Mutations.Count("github.contents:CHANGELOG.md"));
    }

    [Fact]
    public async Task A_missing_file_is_created_when_the_edit_returns_text()
    {
        var update = await GitHub.UpdateFileAsync("docs/releases.md", text => text ?? "v0.2.0\n", "docs: release list", CancellationToken.None);

        Assert.True(update.Changed);
        Assert.Equal("v0.2.0\n", Sandbox.GitHub.ReadFile("docs/releases.md"));
    }
}
