using System.Net;

namespace ChatOps.Sandbox.Tests;

public sealed class GitHubChecksTests : SandboxFixture
{
    [Fact]
    public async Task Combined_status_with_no_statuses_is_pending_with_zero_total()
    {
        var status = await Json(GitHub.GetAsync($"{RepoPath}/commits/main/status"));

        Assert.Equal("pending", (string?)status["state"]);
        Assert.Equal(0, (int)status["total_count"]!);
        Assert.Equal(Sandbox.GitHub.HeadSha, (string?)status["sha"]);
    }

    [Fact]
    public async Task Check_runs_report_the_latest_run_per_name_and_filter_by_name()
    {
        var head = Sandbox.GitHub.HeadSha;
        Sandbox.GitHub.SetCheckRun(head, "test", "completed", "failure");

        var latest = await Json(GitHub.GetAsync($"{RepoPath}/commits/{head}/check-runs"));
        var all = await Json(GitHub.GetAsync($"{RepoPath}/commits/{head}/check-runs?filter=all"));
        var test = await Json(GitHub.GetAsync($"{RepoPath}/commits/main/check-runs?check_name=test"));

        Assert.Equal(4, (int)latest["total_count"]!);
        Assert.Equal(5, (int)all["total_count"]!);
        var run = test["check_runs"]!.AsArray().Single()!;
        Assert.Equal("failure", (string?)run["conclusion"]);
        Assert.Equal("completed", (string?)run["status"]);
    }

    [Fact]
    public async Task Compare_lists_the_commits_after_the_base_oldest_first()
    {
        var pushed = Sandbox.GitHub.PushCommit("Add retry budget to orchestrator");

        var compare = await Json(GitHub.GetAsync($"{RepoPath}/compare/v0.1.0...main"));
        var behind = await Json(GitHub.GetAsync($"{RepoPath}/compare/main...v0.1.0"));

        Assert.Equal("ahead", (string?)compare["status"]);
        Assert.Equal(3, (int)compare["ahead_by"]!);
        Assert.Equal(3, (int)compare["total_commits"]!);
        var commits = compare["commits"]!.AsArray();
        Assert.Equal("Add webhook_events table", (string?)commits[0]!["commit"]!["message"]);
        Assert.Equal(pushed, (string?)commits[^1]!["sha"]);
        Assert.Equal("behind", (string?)behind["status"]);
        Assert.Equal(3, (int)behind["behind_by"]!);
    }

    [Fact]
    public async Task Generated_notes_list_the_commits_since_the_previous_tag()
    {
        var notes = await Json(GitHub.PostAsync($"{RepoPath}/releases/generate-notes",
            Body(new { tag_name = "v0.2.0", target_commitish = "main", previous_tag_name = "v0.1.0" })));

        var body = (string)notes["body"]!;
        Assert.StartsWith("## What's Changed\n* Add webhook_events table by @octo in https://github.com/acme/myloware/pull/", body);
        Assert.Contains("* Bump httpx to 0.28.1 by @octo in", body);
        Assert.EndsWith("**Full Changelog**: https://github.com/acme/myloware/compare/v0.1.0...v0.2.0", body);
    }

    [Fact]
    public async Task A_second_release_for_the_same_tag_answers_422_already_exists()
    {
        using var first = await GitHub.PostAsync($"{RepoPath}/releases", Body(new { tag_name = "v0.1.0", name = "v0.1.0" }));
        using var second = await GitHub.PostAsync($"{RepoPath}/releases", Body(new { tag_name = "v0.1.0", name = "v0.1.0" }));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        var error = (await ReadJson(second))["errors"]!.AsArray().Single()!;
        Assert.Equal("already_exists", (string?)error["code"]);
        Assert.Equal("tag_name", (string?)error["field"]);
        var read = await Json(GitHub.GetAsync($"{RepoPath}/releases/tags/v0.1.0"));
        Assert.Equal("v0.1.0", (string?)read["tag_name"]);
        Assert.Equal(1, Sandbox.Mutations.Count("github.release:"));
    }

    [Fact]
    public async Task A_deployment_is_refused_while_a_required_context_fails_and_empty_contexts_bypass_it()
    {
        Sandbox.GitHub.SetCheckRun(Sandbox.GitHub.HeadSha, "coverage", "completed", "failure");

        using var refused = await GitHub.PostAsync($"{RepoPath}/deployments", Body(new { @ref = "main", auto_merge = false }));
        using var bypassed = await GitHub.PostAsync($"{RepoPath}/deployments", Body(new { @ref = "main", auto_merge = false, required_contexts = Array.Empty<string>() }));
        var id = (long)(await ReadJson(bypassed))["id"]!;
        using var status = await GitHub.PostAsync($"{RepoPath}/deployments/{id}/statuses", Body(new { state = "success" }));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("Conflict: Commit status checks failed for main.", (string?)(await ReadJson(refused))["message"]);
        Assert.Equal(HttpStatusCode.Created, bypassed.StatusCode);
        Assert.Equal(HttpStatusCode.Created, status.StatusCode);
        Assert.Equal(1, Sandbox.Mutations.Count("github.deployment"));
    }
}
