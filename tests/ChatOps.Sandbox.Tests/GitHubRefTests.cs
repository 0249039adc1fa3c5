using System.Net;

namespace ChatOps.Sandbox.Tests;

public sealed class GitHubRefTests : SandboxFixture
{
    [Fact]
    public async Task The_initial_tag_is_annotated_so_its_ref_points_at_a_tag_object()
    {
        var reference = await Json(GitHub.GetAsync($"{RepoPath}/git/ref/tags/v0.1.0"));

        Assert.Equal("tag", (string?)reference["object"]!["type"]);
        var tag = await Json(GitHub.GetAsync($"{RepoPath}/git/tags/{reference["object"]!["sha"]}"));
        Assert.Equal("commit", (string?)tag["object"]!["type"]);
        Assert.Equal(Sandbox.GitHub.FindTag("v0.1.0")!.Value.CommitSha, (string?)tag["object"]!["sha"]);
        Assert.Equal("Fix flaky orchestrator retry", Sandbox.GitHub.GetCommitMessage((string)tag["object"]!["sha"]!));
    }

    [Fact]
    public async Task An_annotated_tag_is_a_tag_object_plus_a_ref_to_that_object()
    {
        var head = Sandbox.GitHub.HeadSha;
        using var created = await GitHub.PostAsync($"{RepoPath}/git/tags",
            Body(new { tag = "v0.2.0", message = "Release v0.2.0", @object = head, type = "commit" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var tagSha = (string)(await ReadJson(created))["sha"]!;
        Assert.Null(Sandbox.GitHub.FindTag("v0.2.0"));

        using var reference = await GitHub.PostAsync($"{RepoPath}/git/refs", Body(new { @ref = "refs/tags/v0.2.0", sha = tagSha }));

        Assert.Equal(HttpStatusCode.Created, reference.StatusCode);
        Assert.Equal((tagSha, head), Sandbox.GitHub.FindTag("v0.2.0"));
        var read = await Json(GitHub.GetAsync($"{RepoPath}/git/ref/tags/v0.2.0"));
        Assert.Equal("tag", (string?)read["object"]!["type"]);
        Assert.Equal(1, Sandbox.Mutations.Count("github.tag-object:v0.2.0"));
        Assert.Equal(1, Sandbox.Mutations.Count("github.ref:refs/tags/v0.2.0"));
    }

    [Fact]
    public async Task Creating_an_existing_ref_answers_422_reference_already_exists()
    {
        using var response = await GitHub.PostAsync($"{RepoPath}/git/refs",
            Body(new { @ref = "refs/tags/v0.1.0", sha = Sandbox.GitHub.HeadSha }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await ReadJson(response);
        Assert.Equal("Reference already exists", (string?)body["message"]);
        Assert.Equal("422", (string?)body["status"]);
        Assert.Equal("https://docs.github.com/rest/git/refs#create-a-reference", (string?)body["documentation_url"]);
        Assert.Equal(0, Sandbox.Mutations.Count("github.ref:"));
    }

    [Fact]
    public async Task A_missing_ref_is_404_not_found_and_matching_refs_is_an_empty_list()
    {
        using var missing = await GitHub.GetAsync($"{RepoPath}/git/ref/tags/v9.9.9");
        var none = await Json(GitHub.GetAsync($"{RepoPath}/git/matching-refs/tags/v9."));
        var some = await Json(GitHub.GetAsync($"{RepoPath}/git/matching-refs/tags/v0."));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("Not Found", (string?)(await ReadJson(missing))["message"]);
        Assert.Empty(none.AsArray());
        Assert.Equal("refs/tags/v0.1.0", (string?)some.AsArray().Single()!["ref"]);
    }

    [Fact]
    public async Task The_branch_reports_the_head_commit()
    {
        var branch = await Json(GitHub.GetAsync($"{RepoPath}/branches/main"));

        Assert.Equal(Sandbox.GitHub.HeadSha, (string?)branch["commit"]!["sha"]);
        Assert.False((bool)branch["protected"]!);
        Assert.Matches("^[0-9a-f]{40}$", Sandbox.GitHub.HeadSha);
    }

    [Fact]
    public async Task Requests_without_a_token_or_a_user_agent_are_refused()
    {
        using var anonymous = new HttpClient { BaseAddress = GitHub.BaseAddress };
        anonymous.DefaultRequestHeaders.UserAgent.ParseAdd("chatops-tests/1.0");
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "wrong");
        using var badToken = await anonymous.GetAsync($"{RepoPath}/branches/main");
        using var noAgent = await Plain.GetAsync(new Uri(GitHub.BaseAddress!, $"{RepoPath}/branches/main"));
        using var otherRepo = await GitHub.GetAsync("repos/acme/other/branches/main");

        Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
        Assert.Equal("Bad credentials", (string?)(await ReadJson(badToken))["message"]);
        Assert.Equal(HttpStatusCode.Forbidden, noAgent.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherRepo.StatusCode);
    }

    [Fact]
    public async Task Every_response_carries_the_version_and_rate_limit_headers()
    {
        using var response = await GitHub.GetAsync($"{RepoPath}/branches/main");

        Assert.Equal("2022-11-28", response.Headers.GetValues("x-github-api-version-selected").Single());
        Assert.Equal("5000", response.Headers.GetValues("x-ratelimit-limit").Single());
        Assert.True(response.Headers.Contains("x-ratelimit-remaining"));
        Assert.True(response.Headers.Contains("x-ratelimit-reset"));
    }
}
