using System.Text.RegularExpressions;
using ChatOps.Core.Commands;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using ChatOps.Host.GitHub;
using ChatOps.Host.Hosting;
using ChatOps.IntegrationTests.Harness;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatOps.IntegrationTests.Hosting;

/// <summary>
/// The appsettings.json the image carries holds defaults, not examples: a live bot sees what its operator set, and the
/// example world belongs to the sandbox (DESIGN §6).
/// </summary>
public sealed partial class ShippedSettingsTests
{
    [Fact]
    public void The_shipped_appsettings_json_names_no_repository_app_environment_smoke_test_person_or_required_check()
    {
        var shipped = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();

        Assert.Empty(shipped.GetSection("ChatOps:Environments").GetChildren());
        Assert.True(string.IsNullOrEmpty(shipped["GitHub:Repository"]), shipped["GitHub:Repository"]);
        Assert.Empty(shipped.GetSection("GitHub:RequiredChecks").GetChildren());
        Assert.Empty(shipped.GetSection("ChatOps:Access:Releasers").GetChildren());
        Assert.Empty(shipped.GetSection("ChatOps:Access:Approvers").GetChildren());
    }

    [Fact]
    public async Task A_live_bot_set_up_with_the_variables_of_the_Fly_guide_has_exactly_their_one_environment_and_service()
    {
        var guide = FlyGuideVariables();
        await using var app = await ChatOpsApp.CreateAsync([], guide);

        var settings = app.Services.GetRequiredService<ChatOpsSettings>();
        Assert.Equal("live", app.Services.GetRequiredService<IConfiguration>()["ChatOps:ResolvedMode"]);
        var (name, production) = Assert.Single(settings.Environments);
        Assert.Equal("production", name);
        var service = Assert.Single(production.Services);
        Assert.Equal(("api", "my-api"), (service.Name, service.FlyApp));
        Assert.Empty(production.SmokeTests);
        Assert.Equal("", production.PromoteFrom);
        Assert.Equal(["telegram:111111111"], settings.Access.Releasers);
        Assert.Equal(["telegram:222222222"], settings.Access.Approvers);
        Assert.Equal("acme/my-app", app.Services.GetRequiredService<IOptions<GitHubOptions>>().Value.Repository);
        // The first lines of /plan.
        Assert.Equal("Environments:\n  production (default): api on my-api; migrations on my-api; backup pg_dump; 0 smoke tests", EnvironmentsText.Describe(settings));
    }

    [Fact]
    public async Task Required_checks_set_item_by_item_replace_the_default_four_instead_of_overwriting_the_first()
    {
        var guide = FlyGuideVariables();
        guide["GitHub:RequiredChecks:0"] = "build";
        await using var app = await ChatOpsApp.CreateAsync([], guide);

        Assert.Equal(["build"], app.Services.GetRequiredService<IOptions<GitHubOptions>>().Value.RequiredChecks);
    }

    [Fact]
    public async Task Live_mode_with_no_environment_stops_with_one_line_saying_so()
    {
        var (exit, _, stderr) = await HostProcess.RunAsync(new Dictionary<string, string>
        {
            ["ChatOps__Mode"] = "live",
            ["TELEGRAM_BOT_TOKEN"] = "123456:TEST",
            ["GITHUB_TOKEN"] = "ghp_example",
            ["FLY_API_TOKEN"] = "fly-example",
            ["GitHub__Repository"] = "acme/my-app",
        }, "--Urls=http://127.0.0.1:0");

        Assert.True(exit == 2, $"exit {exit}\n{stderr}");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("no environment to release to", line);
        Assert.Contains("ChatOps__Environments__production__Services__0__Name", line);
    }

    [Fact]
    public async Task A_fresh_sandbox_releases_to_production_at_once_as_the_readme_s_first_session_does()
    {
        await using var bot = await SandboxBot.StartAsync();

        var started = await bot.SayAsync("/release v0.2.0");

        Assert.Contains("Release #1 of v0.2.0 to production started", started);
        Assert.Equal(["production", "staging"], bot.Get<ChatOpsSettings>().Environments.Keys.Order());
    }

    [Fact]
    public async Task In_the_sandbox_an_environment_of_the_operator_s_own_replaces_the_example_world_whole()
    {
        var (exit, stdout, stderr) = await HostProcess.RunAsync(new Dictionary<string, string>
        {
            ["ChatOps__Mode"] = "sandbox",
            ["Console__Enabled"] = "true",
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging__Level"] = "Fatal",
            ["ChatOps__Environments__production__Services__0__Name"] = "web",
            ["ChatOps__Environments__production__Services__0__FlyApp"] = "my-web",
            ["ChatOps__Environments__production__Services__0__Image"] = "registry.fly.io/my-web:{tag}",
            ["ChatOps__Environments__production__Services__0__HealthUrl"] = "https://my-web.fly.dev/health",
        });

        Assert.True(exit == 0, $"exit {exit}\n{stderr}");
        Assert.Contains("Fly (my-web) and the services are simulated", stdout);
    }

    /// <summary>
    /// The secrets of docs/deploy-fly.md §2 and the settings of §3, as a reader copies them (`Key=value` lines of its
    /// `fly secrets set` blocks), mapped onto configuration keys as the host maps variables.
    /// </summary>
    internal static Dictionary<string, string?> FlyGuideVariables()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "deploy-fly.md"));
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in GuideVariable().Matches(guide))
        {
            var (name, value) = (match.Groups["name"].Value, match.Groups["value"].Value.Trim('"'));
            // $(openssl rand -hex 32) is what the shell would run; any secret of that shape does here.
            if (value.StartsWith("$(", StringComparison.Ordinal))
                value = "0123456789abcdef";
            // "…" stands for the rest of a token the reader pastes.
            value = value.Replace("…", "x", StringComparison.Ordinal);
            settings[ChatOpsMode.SecretNames.TryGetValue(name, out var key) ? key : name.Replace("__", ":", StringComparison.Ordinal)] = value;
        }
        Assert.True(settings.ContainsKey("ChatOps:Environments:production:Services:0:FlyApp"), "docs/deploy-fly.md §3 no longer names a service");
        // The bot's own store: SQLite in a file of the test's own, not the image's /data.
        settings["ChatOps:StorePath"] = Path.Combine(Path.GetTempPath(), $"chatops-guide-{Guid.NewGuid():N}.db");
        return settings;
    }

    [GeneratedRegex(@"^\s+(?<name>[A-Za-z][A-Za-z0-9_]*)=(?<value>""[^""]*""|\S+)", RegexOptions.Multiline)]
    private static partial Regex GuideVariable();

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ChatOps.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ChatOps.sln not found above the test binaries");
    }
}
