using System.Globalization;
using System.Security.Cryptography;
using ChatOps.Host.Console;
using ChatOps.Host.Hosting;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Hosting;

/// <summary>A live bot configured as a GitHub App: a key GitHub refuses stops the start with one line.</summary>
public sealed class GitHubAppStartTests
{
    private static readonly RSA AppKey = RSA.Create(2048);

    [Fact]
    public async Task A_live_bot_whose_app_key_github_refuses_does_not_start_and_says_why()
    {
        await using var sandbox = await StartSandboxAsync();
        using var otherKey = RSA.Create(2048);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => StartLiveAsync(sandbox, otherKey));

        var refusal = refused as StartupRefusedException ?? (refused as AggregateException)?.InnerExceptions.OfType<StartupRefusedException>().FirstOrDefault();
        Assert.NotNull(refusal);
        Assert.Contains($"GitHub refused the JWT of app {sandbox.Options.GitHubAppId}", refusal.Message);
        Assert.Contains("GitHub:AppPrivateKey must be a private key of this app", refusal.Message);
    }

    [Fact]
    public async Task A_live_bot_with_the_apps_key_starts_with_an_installation_token()
    {
        await using var sandbox = await StartSandboxAsync();

        await using var app = await StartLiveAsync(sandbox, AppKey);

        Assert.Single(sandbox.GitHubAccess.IssuedTokens);
    }

    private static async Task<SandboxServer> StartSandboxAsync()
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Repository = "acme/app", Apps = [new SandboxApp("api", "app-api", 1)], MigrationsApp = "app-api" });
        sandbox.Options.GitHubAppPublicKeyPem = AppKey.ExportSubjectPublicKeyInfoPem();
        return sandbox;
    }

    private static async Task<ChatOpsApp> StartLiveAsync(SandboxServer sandbox, RSA key)
    {
        var app = await ChatOpsApp.CreateAsync([], new Dictionary<string, string?>
        {
            ["ChatOps:Mode"] = "live",
            ["Urls"] = "http://127.0.0.1:0",
            ["Metrics:Port"] = "0",
            ["Serilog:MinimumLevel:Default"] = "Fatal",
            ["ChatOps:StorePath"] = Path.Combine(Path.GetTempPath(), $"chatops-app-{Guid.NewGuid():N}.db"),
            ["Console:Enabled"] = "true",
            ["GitHub:ApiBaseUrl"] = sandbox.GitHubApiUrl.ToString(),
            ["GitHub:Repository"] = sandbox.Options.Repository,
            ["GitHub:AppId"] = sandbox.Options.GitHubAppId.ToString(CultureInfo.InvariantCulture),
            ["GitHub:AppPrivateKey"] = key.ExportRSAPrivateKeyPem(),
            ["Fly:ApiBaseUrl"] = sandbox.FlyApiUrl.ToString(),
            ["Fly:ApiToken"] = sandbox.Options.FlyToken,
            ["Fly:RegistryUrl"] = sandbox.FlyRegistryUrl.ToString(),
            ["ChatOps:Environments:production:Services:0:Name"] = "api",
            ["ChatOps:Environments:production:Services:0:FlyApp"] = "app-api",
            ["ChatOps:Environments:production:Services:0:Image"] = "registry.fly.io/app-api:{tag}",
            ["ChatOps:Environments:production:Services:0:HealthUrl"] = sandbox.ServiceUrlOfApp("app-api") + "/health",
            ["ChatOps:Environments:production:Migrations:App"] = "app-api",
            ["ChatOps:Environments:production:Backup:Mode"] = "fly-snapshot",
        }, services => services.AddSingleton(new ConsoleIO(new StringReader(""), TextWriter.Null, interactive: false)));
        try
        {
            await app.Web.StartAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
