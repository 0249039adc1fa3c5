using System.Net;
using System.Net.Http.Json;

namespace ChatOps.Sandbox.Tests;

public sealed class FaultAndServiceTests : SandboxFixture
{
    [Fact]
    public async Task Failing_the_next_two_fly_calls_gives_two_429s_with_retry_after_then_success()
    {
        Sandbox.Faults.FailNextFlyCalls(2, 429, TimeSpan.FromSeconds(1));

        using var first = await Fly.GetAsync("apps/myloware-api/machines");
        using var second = await Fly.GetAsync("apps/myloware-api/machines");
        using var third = await Fly.GetAsync("apps/myloware-api/machines");

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), first.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task Failing_github_calls_answer_with_github_error_bodies_and_change_nothing()
    {
        Sandbox.Faults.FailNextGitHubCalls(1, 503);

        using var failed = await GitHub.PostAsync($"{RepoPath}/git/refs", Body(new { @ref = "refs/tags/v0.2.0", sha = Sandbox.GitHub.HeadSha }));
        using var retried = await GitHub.PostAsync($"{RepoPath}/git/refs", Body(new { @ref = "refs/tags/v0.2.0", sha = Sandbox.GitHub.HeadSha }));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.NotNull((await ReadJson(failed))["message"]);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(1, Sandbox.Mutations.Count("github.ref:"));
    }

    [Fact]
    public async Task Version_needs_the_api_key_and_follows_the_deployed_image()
    {
        var url = Sandbox.ServiceUrl("api") + "/version";
        using var anonymous = await Plain.GetAsync(url);
        var before = await Json(SendWithKey(HttpMethod.Get, url));

        foreach (var machine in Sandbox.Fly.Machines("myloware-api"))
        {
            var config = machine.Config;
            config["image"] = "registry.fly.io/myloware-api:v0.2.0";
            using var update = await Fly.PostAsync($"apps/myloware-api/machines/{machine.Id}", Body(new { config }));
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        }

        var after = await Json(SendWithKey(HttpMethod.Get, url));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("invalid api key", (string?)(await ReadJson(anonymous))["detail"]);
        Assert.Equal("v0.1.0", (string?)before["version"]);
        Assert.Equal("v0.2.0", (string?)after["version"]);
        Assert.Equal("api", (string?)after["service"]);
    }

    [Fact]
    public async Task An_unhealthy_tag_makes_health_answer_503()
    {
        var url = Sandbox.ServiceUrl("orchestrator") + "/health";
        using var healthy = await Plain.GetAsync(url);
        Sandbox.Faults.UnhealthyTags.Add("v0.1.0");
        using var degraded = await Plain.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, degraded.StatusCode);
        Assert.Equal("degraded", (string?)(await ReadJson(degraded))["status"]);
    }

    [Fact]
    public async Task Chat_issues_a_run_that_can_be_read_back()
    {
        var url = Sandbox.ServiceUrl("api") + "/v1/chat/brendan";
        var chat = await Json(SendWithKey(HttpMethod.Post, url, new { user_id = "u1", message = "make a video" }));
        var runId = (string)chat["runId"]!;

        var run = await Json(SendWithKey(HttpMethod.Get, $"{Sandbox.ServiceUrl("api")}/v1/runs/{runId}"));
        using var unknown = await SendWithKey(HttpMethod.Get, $"{Sandbox.ServiceUrl("api")}/v1/runs/run_nope");

        Assert.StartsWith("run_", runId);
        Assert.StartsWith("Proposal:", (string)chat["reply"]!);
        Assert.Equal("pending_workflow", (string?)run["status"]);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private Task<HttpResponseMessage> SendWithKey(HttpMethod method, string url, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("x-api-key", Sandbox.Options.ApiKey);
        return Plain.SendAsync(request);
    }

}
