using System.Net;
using System.Security.Cryptography;
using ChatOps.Core.Ports;
using ChatOps.Host.Doctor;
using ChatOps.Host.GitHub;
using ChatOps.Host.Http;
using ChatOps.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatOps.IntegrationTests.Clients;

// The bot as a GitHub App against the simulated GitHub: the JWT buys an installation token, the token is the bearer of
// every call, bought again before it expires, and never written to a log.
public sealed class GitHubAppTests : ClientFixture
{
    private static readonly RSA AppKey = RSA.Create(2048);
    private readonly AheadClock _clock = new();

    private ServiceProvider AsApp(RSA? key = null, long? installationId = null)
    {
        Sandbox.Options.GitHubAppPublicKeyPem = AppKey.ExportSubjectPublicKeyInfoPem();
        Sandbox.GitHubAccess.Time = _clock;
        var settings = ConfigFor(Sandbox);
        settings["GitHub:Token"] = null;
        settings["GitHub:AppId"] = Sandbox.Options.GitHubAppId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["GitHub:AppPrivateKey"] = (key ?? AppKey).ExportRSAPrivateKeyPem();
        if (installationId is { } id)
            settings["GitHub:AppInstallationId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return BuildServices(settings, s => s.AddSingleton<TimeProvider>(_clock));
    }

    [Fact]
    public async Task The_app_key_buys_one_installation_token_that_every_call_then_carries()
    {
        await using var services = AsApp();
        var gitHub = services.GetRequiredService<ISourceControl>();

        var head = await gitHub.GetHeadShaAsync(CancellationToken.None);
        await gitHub.GetChecksAsync(head, CancellationToken.None);

        Assert.Equal(Sandbox.GitHub.HeadSha, head);
        var token = Assert.Single(Sandbox.GitHubAccess.IssuedTokens);
        Assert.StartsWith("ghs_", token);
    }

    [Fact]
    public async Task A_configured_installation_id_is_used_without_looking_it_up()
    {
        await using var services = AsApp(installationId: Sandbox.Options.GitHubInstallationId);

        await services.GetRequiredService<ISourceControl>().GetHeadShaAsync(CancellationToken.None);

        Assert.DoesNotContain(Sandbox.Calls.Calls, c => c.Path.EndsWith("/installation", StringComparison.Ordinal));
        Assert.Single(Sandbox.GitHubAccess.IssuedTokens);
    }

    [Fact]
    public async Task The_installation_token_is_bought_again_five_minutes_before_it_expires_and_not_after()
    {
        await using var services = AsApp();
        var gitHub = services.GetRequiredService<ISourceControl>();
        await gitHub.GetHeadShaAsync(CancellationToken.None);
        var first = Assert.Single(Sandbox.GitHubAccess.IssuedTokens);

        _clock.MoveAhead(TimeSpan.FromMinutes(54));
        await gitHub.GetHeadShaAsync(CancellationToken.None);
        Assert.Single(Sandbox.GitHubAccess.IssuedTokens);

        _clock.MoveAhead(TimeSpan.FromMinutes(2));
        await gitHub.GetHeadShaAsync(CancellationToken.None);
        Assert.Equal(2, Sandbox.GitHubAccess.IssuedTokens.Count);
        // The first token still had four minutes: it was replaced before GitHub would have refused it.
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(first, "repos/acme/myloware"));

        _clock.MoveAhead(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(first, "repos/acme/myloware"));
        await gitHub.GetHeadShaAsync(CancellationToken.None);
        Assert.Equal(2, Sandbox.GitHubAccess.IssuedTokens.Count);
    }

    [Fact]
    public async Task No_log_line_holds_the_installation_token_or_the_private_key()
    {
        await using var services = AsApp();
        var gitHub = services.GetRequiredService<ISourceControl>();
        await gitHub.GetHeadShaAsync(CancellationToken.None);
        _clock.MoveAhead(TimeSpan.FromMinutes(56));
        await gitHub.GetHeadShaAsync(CancellationToken.None);
        Sandbox.Faults.FailNextGitHubCalls(1, 401);
        await Assert.ThrowsAsync<OutsideCallException>(() => gitHub.GetHeadShaAsync(CancellationToken.None));
        await gitHub.GetHeadShaAsync(CancellationToken.None);

        Assert.Contains(Logs.Lines, l => l.Contains("installation token obtained", StringComparison.Ordinal));
        var key = AppKey.ExportRSAPrivateKeyPem().Split('\n')[1];
        foreach (var secret in Sandbox.GitHubAccess.IssuedTokens.Append(key))
            Assert.DoesNotContain(Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_that_is_not_the_apps_is_refused_with_a_line_that_says_so()
    {
        using var otherKey = RSA.Create(2048);
        await using var services = AsApp(otherKey);

        var refused = await Assert.ThrowsAsync<OutsideCallException>(() => services.GetRequiredService<ISourceControl>().GetHeadShaAsync(CancellationToken.None));

        Assert.Contains($"GitHub refused the JWT of app {Sandbox.Options.GitHubAppId}", refused.Message);
        Assert.Contains("A JSON web token could not be decoded", refused.Message);
        Assert.Contains("GitHub:AppPrivateKey must be a private key of this app", refused.Message);
        Assert.Empty(Sandbox.GitHubAccess.IssuedTokens);
    }

    [Fact]
    public async Task The_doctor_names_a_wrong_app_key_as_the_problem()
    {
        using var otherKey = RSA.Create(2048);
        await using var services = AsApp(otherKey);
        var doctor = ActivatorUtilities.CreateInstance<GitHubPermissionsDoctor>(services);

        var rows = await doctor.CheckAsync(CancellationToken.None);

        var row = Assert.Single(rows);
        Assert.False(row.Ok);
        Assert.Equal($"GitHub App {Sandbox.Options.GitHubAppId}", row.Name);
        Assert.Contains("A JSON web token could not be decoded", row.Detail);
        Assert.Contains("GITHUB_APP_PRIVATE_KEY", row.Fix);
    }

    [Fact]
    public async Task The_doctor_names_the_permission_an_app_installation_lacks()
    {
        await using var services = AsApp();
        Sandbox.GitHubAccess.Revoke("checks", app: true);
        var doctor = ActivatorUtilities.CreateInstance<GitHubPermissionsDoctor>(services);

        var rows = await doctor.CheckAsync(CancellationToken.None);

        Assert.True(rows.Single(r => r.Name == $"GitHub App {Sandbox.Options.GitHubAppId}").Ok);
        var row = rows.Single(r => !r.Ok);
        Assert.Contains($"GitHub App {Sandbox.Options.GitHubAppId} lacks Checks: read (needed to read the required checks before a release)", row.Detail);
        Assert.Contains("checks=read", row.Detail);
    }

    [Fact]
    public void A_private_key_that_is_not_a_pem_stops_the_start_with_one_line()
    {
        var settings = ConfigFor(Sandbox);
        settings["GitHub:Token"] = null;
        settings["GitHub:AppId"] = "31337";
        settings["GitHub:AppPrivateKey"] = "not a key";
        using var services = BuildServices(settings);

        var invalid = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GitHubOptions>>().Value);

        Assert.Contains(invalid.Failures, f => f.StartsWith("GitHub:AppPrivateKey (GITHUB_APP_PRIVATE_KEY) is not a PEM RSA private key", StringComparison.Ordinal));
    }

    private async Task<HttpStatusCode> StatusWithAsync(string token, string path)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{Sandbox.GitHubApiUrl}/{path}"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.UserAgent.ParseAdd("test/1.0");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
