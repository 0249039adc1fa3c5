using System.Net;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Host.GitHub;
using ChatOps.Host.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatOps.IntegrationTests.Clients;

// Retries, timeouts, error wording and start-up validation of the GitHub client.
public sealed class GitHubFailureTests : ClientFixture
{
    private ISourceControl GitHub => Get<ISourceControl>();

    [Fact]
    public async Task A_lost_answer_to_the_ref_creation_is_settled_by_reading_the_tag_back()
    {
        // The ref is created, but the client sees a 502 instead of the 201, retries, and meets "Reference already exists".
        await using var services = BuildServices(ConfigFor(Sandbox), s => s.AddHttpClient(GitHubClient.HttpClientName)
            .AddHttpMessageHandler(() => new LoseFirstAnswer(r => r.Method == HttpMethod.Post && r.RequestUri!.AbsolutePath.EndsWith("/git/refs"))));
        var gitHub = services.GetRequiredService<ISourceControl>();
        var head = Sandbox.GitHub.HeadSha;

        var result = await gitHub.EnsureTagAsync("v0.2.0", head, "Release v0.2.0", CancellationToken.None);

        Assert.Equal(Sandbox.GitHub.FindTag("v0.2.0")!.Value.TagObjectSha, result.TagObjectSha);
        Assert.Equal(1, Sandbox.Mutations.Count("github.ref:refs/tags/v0.2.0"));
    }

    [Fact]
    public async Task A_deployment_whose_creation_lost_its_answer_is_found_again_and_not_created_twice()
    {
        // GitHub creates the deployment, but the client sees a 502 instead of the 201: a blind retry would create a second.
        await using var services = BuildServices(ConfigFor(Sandbox), s => s.AddHttpClient(GitHubClient.HttpClientName)
            .AddHttpMessageHandler(() => new LoseFirstAnswer(r => r.Method == HttpMethod.Post && r.RequestUri!.AbsolutePath.EndsWith("/deployments"))));
        await services.GetRequiredService<ISourceControl>().EnsureTagAsync("v0.3.0", Sandbox.GitHub.HeadSha, "Release v0.3.0", CancellationToken.None);

        var id = await services.GetRequiredService<IDeploymentRecords>().EnsureAsync(
            new DeploymentRequest(7, "release", "production", "v0.3.0", Sandbox.GitHub.HeadSha, "ChatOps release #7 of v0.3.0"), CancellationToken.None);

        Assert.Equal(id, Assert.Single(Sandbox.GitHub.DeploymentViews()).Id);
        Assert.Equal(1, Sandbox.Mutations.Count("github.deployment"));
    }

    [Fact]
    public async Task A_rate_limited_call_is_retried_after_the_servers_delay_and_logged_without_secrets()
    {
        Sandbox.Faults.FailNextGitHubCalls(2, 429, TimeSpan.FromSeconds(1));

        var head = await GitHub.GetHeadShaAsync(CancellationToken.None);

        Assert.Equal(Sandbox.GitHub.HeadSha, head);
        var retries = Logs.Lines.Where(l => l.Contains("Retrying GET")).ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, l => Assert.Contains("/github/repos/acme/myloware/branches/main after 00:00:01 (429)", l));
        Assert.DoesNotContain(Logs.Lines, l => l.Contains(Sandbox.Options.GitHubToken));
    }

    [Fact]
    public async Task An_error_answer_reads_well_in_chat_and_never_shows_the_token()
    {
        var error = await Assert.ThrowsAsync<OutsideCallException>(() => GitHub.GetChecksAsync("0000000", CancellationToken.None));

        Assert.Equal(
            "GitHub answered 422 Unprocessable Entity for GET /github/repos/acme/myloware/commits/0000000/check-runs — No commit found for SHA: 0000000",
            error.Message);
        Assert.DoesNotContain(Sandbox.Options.GitHubToken, error.ToString());
    }

    [Fact]
    public async Task A_call_that_never_answers_gives_up_after_its_attempts_and_says_so()
    {
        var settings = ConfigFor(Sandbox);
        settings["GitHub:Timeout"] = "00:00:00.100";
        var attempts = new AttemptSpy(_ => true);
        await using var services = BuildServices(settings, s => s.AddHttpClient(GitHubClient.HttpClientName)
            .AddHttpMessageHandler(attempts.CreateHandler).AddHttpMessageHandler(() => new Stall()));

        var error = await Assert.ThrowsAsync<OutsideCallException>(() =>
            services.GetRequiredService<ISourceControl>().GetHeadShaAsync(CancellationToken.None));

        Assert.True(error.TimedOut);
        Assert.Equal("GitHub did not answer GET /github/repos/acme/myloware/branches/main: no answer in time", error.Message);
        Assert.Equal(5, attempts.Count);
    }

    [Fact]
    public async Task A_malformed_repository_stops_start_up_naming_the_key()
    {
        var settings = ConfigFor(Sandbox);
        settings["GitHub:Repository"] = "myloware";
        settings["GitHub:Token"] = "";
        await using var services = BuildServices(settings);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GitHubOptions>>().Value);

        Assert.Contains("GitHub:Repository must look like owner/name", error.Failures);
        Assert.Contains("GitHub:Token is missing (or set GITHUB_TOKEN)", error.Failures);
    }

    [Fact]
    public async Task Required_checks_default_to_the_runbook_list_and_configured_ones_replace_it()
    {
        var settings = ConfigFor(Sandbox);
        settings["GitHub:RequiredChecks:0"] = "pytest";
        await using var configured = BuildServices(settings);

        Assert.Equal(GitHubOptions.DefaultRequiredChecks, Get<IOptions<GitHubOptions>>().Value.RequiredChecks);
        Assert.Equal(new[] { "pytest" }, configured.GetRequiredService<IOptions<GitHubOptions>>().Value.RequiredChecks);
    }

    // Never answers; only the attempt timeout gets the caller out.
    private sealed class Stall : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    // Passes the first matching request on, then drops the answer and reports a 502, as a flaky proxy would.
    private sealed class LoseFirstAnswer(Func<HttpRequestMessage, bool> matches) : DelegatingHandler
    {
        private int _seen;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!matches(request) || Interlocked.Increment(ref _seen) > 1)
            {
                return response;
            }

            response.Dispose();
            return new HttpResponseMessage(HttpStatusCode.BadGateway) { RequestMessage = request, Content = new StringContent("upstream reset") };
        }
    }
}
