using System.Net.Http.Json;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.IntegrationTests.Harness;
using ChatOps.IntegrationTests.Slack;
using ChatOps.IntegrationTests.Store;
using ChatOps.IntegrationTests.Telegram;

namespace ChatOps.IntegrationTests.Doctor;

/// <summary>The doctor against the simulators and a real Postgres: all clear, then each problem injected in turn.</summary>
public sealed class DoctorTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _target = new();

    public async Task InitializeAsync()
    {
        await _target.InitializeAsync();
        await _target.ExecuteAsync("CREATE TABLE runs (id int); CREATE TABLE artifacts (id int); CREATE TABLE webhook_events (id int);");
    }

    public Task DisposeAsync() => _target.DisposeAsync();

    private Dictionary<string, string?> WithTarget(string? backupDirectory = null) => new()
    {
        ["Sandbox:DatabaseUrl"] = _target.ConnectionString,
        ["ChatOps:Environments:production:Backup:Directory"] = backupDirectory ?? Path.Combine(Path.GetTempPath(), "chatops-doctor-" + Guid.NewGuid().ToString("N")),
    };

    private static async Task<IReadOnlyList<DoctorCheck>> CheckAsync(BotHost bot)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await bot.Get<IDoctor>().CheckAsync(timeout.Token);
    }

    private static DoctorCheck Row(IReadOnlyList<DoctorCheck> rows, string nameStart) =>
        rows.FirstOrDefault(r => r.Name.StartsWith(nameStart, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"no row '{nameStart}' in:\n{DoctorCheck.Report(rows)}");

    /// <summary>A call an operator makes with flyctl, sent to the simulated Fly API as flyctl sends it.</summary>
    private static async Task<System.Text.Json.Nodes.JsonNode?> FlyAsync(BotHost bot, HttpMethod method, string path)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(method, new Uri($"{bot.Sandbox.FlyApiUrl}/v1/{path}"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bot.Sandbox.Options.FlyToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }

    private static void AssertProblem(IReadOnlyList<DoctorCheck> rows, DoctorCheck row, string problem, string fix)
    {
        Assert.False(row.Ok, row.ToString());
        Assert.Contains(problem, row.Detail);
        Assert.Contains(fix, row.Fix);
        Assert.Equal(1, DoctorCheck.ExitCode(rows));
    }

    [Fact]
    public async Task Every_check_passes_against_the_simulators_and_a_prepared_database()
    {
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox(WithTarget()));

        var rows = await CheckAsync(bot);

        Assert.True(rows.All(r => r.Ok), DoctorCheck.Report(rows));
        Assert.Equal(0, DoctorCheck.ExitCode(rows));
        foreach (var name in new[] { "GitHub repository", "GitHub checks", "Fly app myloware-api", "Fly migrations on myloware-api", "production database", "pg_dump for production", "production tables", "production backup directory", "Own store" })
            Assert.True(Row(rows, name).Ok);
    }

    [Fact]
    public async Task A_github_token_that_may_not_push_is_a_problem_naming_the_permission()
    {
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox(WithTarget()));
        bot.Sandbox.GitHub.TokenCanPush = false;

        var row = Row(await CheckAsync(bot), "GitHub repository");

        Assert.False(row.Ok);
        Assert.Contains("may not push", row.Detail);
        Assert.Contains("contents: write", row.Fix);
    }

    [Fact]
    public async Task A_github_that_keeps_failing_is_a_problem_for_the_repository()
    {
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox(WithTarget()));
        // More failures than the client's retries, so every attempt of the doctor's first call fails.
        bot.Sandbox.Faults.FailNextGitHubCalls(50, 503);

        var row = Row(await CheckAsync(bot), "GitHub repository");

        Assert.False(row.Ok);
        Assert.StartsWith("not reachable", row.Detail);
    }

    [Fact]
    public async Task A_release_branch_github_does_not_know_is_a_problem_for_its_checks()
    {
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox(WithTarget(), new Dictionary<string, string?> { ["GitHub:Branch"] = "release/next" }));

        var rows = await CheckAsync(bot);

        Assert.True(Row(rows, "GitHub repository").Ok);
        AssertProblem(rows, Row(rows, "GitHub checks of release/next"), "cannot read the branch or its checks", "check GitHub:Branch");
        Assert.Contains("404", Row(rows, "GitHub checks of release/next").Detail);
    }

    [Fact]
    public async Task A_fly_app_the_token_cannot_find_is_a_problem_naming_the_setting()
    {
        // Staging's volume snapshots are taken on an app of their own that the Fly organisation does not have.
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox(WithTarget(), new Dictionary<string, string?>
        {
            ["ChatOps:Environments:staging:Backup:Mode"] = "fly-snapshot",
            ["ChatOps:Environments:staging:Backup:App"] = "myloware-migrate-staging",
        }));

        var rows = await CheckAsync(bot);

        var row = Row(rows, "Fly app myloware-migrate-staging");
        AssertProblem(rows, row, "cannot list its machines", "check the app name in ChatOps:Environments");
        Assert.Contains("404", row.Detail);
        Assert.True(Row(rows, "Fly app myloware-api-staging").Ok);
    }

    [Fact]
    public async Task A_fly_app_without_machines_is_a_problem_asking_for_a_first_deploy()
    {
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox(WithTarget()));
        foreach (var machine in bot.Sandbox.Fly.Machines("myloware-orchestrator"))
            await FlyAsync(bot, HttpMethod.Delete, $"apps/myloware-orchestrator/machines/{machine.Id}?force=true");

        var rows = await CheckAsync(bot);

        AssertProblem(rows, Row(rows, "Fly app myloware-orchestrator"), "has no machines to deploy to", "fly deploy -a myloware-orchestrator");
        Assert.True(Row(rows, "Fly app myloware-api").Ok);
    }

    [Fact]
    public async Task A_refused_fly_token_is_a_problem_for_every_app()
    {
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox(WithTarget(), new Dictionary<string, string?> { ["Fly:ApiToken"] = "not-the-token" }));

        var rows = await CheckAsync(bot);

        foreach (var app in new[] { "Fly app myloware-api", "Fly app myloware-orchestrator" })
        {
            Assert.False(Row(rows, app).Ok);
            Assert.Contains("401", Row(rows, app).Detail);
        }
    }

    [Fact]
    public async Task An_unreachable_target_database_is_a_problem_naming_the_key()
    {
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox(new Dictionary<string, string?>
        {
            ["Sandbox:DatabaseUrl"] = "postgres://nobody:secret-password@127.0.0.1:1/none",
            ["ChatOps:Environments:production:Backup:Directory"] = Path.GetTempPath(),
        }));

        var rows = await CheckAsync(bot);

        var row = Row(rows, "production database");
        AssertProblem(rows, row, "cannot connect", "ChatOps:Environments:production:DatabaseUrl");
        Assert.DoesNotContain("secret-password", row.ToString());
    }

    [Fact]
    public async Task Missing_expected_tables_are_a_problem_listing_them()
    {
        await _target.ExecuteAsync("DROP TABLE webhook_events;");
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox(WithTarget()));

        var rows = await CheckAsync(bot);

        AssertProblem(rows, Row(rows, "production tables"), "missing webhook_events", "run the migrations once");
    }

    [Fact]
    public async Task A_backup_directory_that_cannot_be_written_is_a_problem_pointing_at_the_volume()
    {
        var file = Path.GetTempFileName();
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox(WithTarget(Path.Combine(file, "backups"))));

        var rows = await CheckAsync(bot);

        AssertProblem(rows, Row(rows, "production backup directory"), "not writable", "/data/backups");
        File.Delete(file);
    }

    [Fact]
    public async Task A_webhook_left_at_telegram_while_the_bot_polls_is_a_problem()
    {
        await using var bot = await TelegramBotHost.StartAsync(TestSettings.Sandbox(WithTarget()));
        await bot.WaitUntilAsync("the poller started", () => bot.Telegram.Calls.Any(c => c.Method == "getUpdates"));
        using var http = new HttpClient();
        var set = await http.PostAsJsonAsync(new Uri($"{bot.Telegram.BaseUrl.ToString().TrimEnd('/')}/bot{bot.Telegram.Token}/setWebhook"), new { url = "https://example.com/telegram/webhook" });
        set.EnsureSuccessStatusCode();

        var rows = await CheckAsync(bot);

        Assert.True(Row(rows, "Telegram bot").Ok);
        var updates = Row(rows, "Telegram updates");
        Assert.False(updates.Ok);
        Assert.Contains("https://example.com/telegram/webhook", updates.Detail);
    }

    [Fact]
    public async Task A_webhook_at_telegram_other_than_the_configured_one_is_a_problem()
    {
        await using var bot = await TelegramBotHost.StartAsync(TestSettings.Sandbox(WithTarget(), new Dictionary<string, string?> { ["Telegram:WebhookUrl"] = "https://bot.example.com/telegram/webhook", ["Telegram:WebhookSecret"] = "doctor_secret-1" }));
        await bot.WaitForAsync("setWebhook", () => bot.Telegram.Webhook);
        using var http = new HttpClient();
        var set = await http.PostAsJsonAsync(new Uri($"{bot.Telegram.BaseUrl.ToString().TrimEnd('/')}/bot{bot.Telegram.Token}/setWebhook"), new { url = "https://old.example.com/telegram/webhook" });
        set.EnsureSuccessStatusCode();

        var rows = await CheckAsync(bot);

        AssertProblem(rows, Row(rows, "Telegram webhook"), "Telegram holds 'https://old.example.com/telegram/webhook'", "fix Telegram:WebhookUrl");
    }

    [Fact]
    public async Task A_webhook_whose_last_delivery_failed_is_a_problem_quoting_telegram()
    {
        await using var bot = await TelegramBotHost.StartAsync(TestSettings.Sandbox(WithTarget(), new Dictionary<string, string?> { ["Telegram:WebhookUrl"] = "https://bot.example.com/telegram/webhook", ["Telegram:WebhookSecret"] = "doctor_secret-1" }));
        await bot.WaitForAsync("setWebhook", () => bot.Telegram.Webhook);
        bot.Telegram.WebhookLastError = "Wrong response from the webhook: 502 Bad Gateway";

        var rows = await CheckAsync(bot);

        AssertProblem(rows, Row(rows, "Telegram webhook"), "the last delivery failed: Wrong response from the webhook: 502 Bad Gateway", "TELEGRAM_WEBHOOK_SECRET matches");
    }

    [Fact]
    public async Task A_webhook_error_older_than_the_last_update_the_bot_handled_is_no_problem()
    {
        const string secret = "doctor_secret-1";
        await using var bot = await TelegramBotHost.StartAsync(TestSettings.Sandbox(WithTarget(), new Dictionary<string, string?> { ["Telegram:WebhookUrl"] = "https://bot.example.com/telegram/webhook", ["Telegram:WebhookSecret"] = secret }));
        await bot.WaitForAsync("setWebhook", () => bot.Telegram.Webhook);
        // The webhook failed an hour ago (a deploy, say); the deliveries since got through.
        bot.Telegram.WebhookLastError = "Wrong response from the webhook: 502 Bad Gateway";
        bot.Telegram.WebhookLastErrorAt = DateTimeOffset.UtcNow.AddHours(-1);
        var whoami = bot.Telegram.NewTextUpdate(TelegramBotHost.Group, TelegramBotHost.Releaser, "/whoami");
        Assert.Equal(System.Net.HttpStatusCode.OK, await bot.Telegram.DeliverAsync(bot.WebhookUrl, whoami, secret));

        var rows = await CheckAsync(bot);

        var row = Row(rows, "Telegram webhook");
        Assert.True(row.Ok, row.ToString());
        Assert.Contains("502 Bad Gateway", row.Detail);
        Assert.Contains("since", row.Detail);
    }

    [Fact]
    public async Task A_webhook_error_newer_than_the_last_update_the_bot_handled_is_still_a_problem()
    {
        const string secret = "doctor_secret-1";
        await using var bot = await TelegramBotHost.StartAsync(TestSettings.Sandbox(WithTarget(), new Dictionary<string, string?> { ["Telegram:WebhookUrl"] = "https://bot.example.com/telegram/webhook", ["Telegram:WebhookSecret"] = secret }));
        await bot.WaitForAsync("setWebhook", () => bot.Telegram.Webhook);
        var whoami = bot.Telegram.NewTextUpdate(TelegramBotHost.Group, TelegramBotHost.Releaser, "/whoami");
        Assert.Equal(System.Net.HttpStatusCode.OK, await bot.Telegram.DeliverAsync(bot.WebhookUrl, whoami, secret));
        bot.Telegram.WebhookLastError = "Wrong response from the webhook: 502 Bad Gateway";
        bot.Telegram.WebhookLastErrorAt = DateTimeOffset.UtcNow.AddMinutes(1);

        var rows = await CheckAsync(bot);

        AssertProblem(rows, Row(rows, "Telegram webhook"), "the last delivery failed: Wrong response from the webhook: 502 Bad Gateway", "TELEGRAM_WEBHOOK_SECRET matches");
    }

    [Fact]
    public async Task A_telegram_token_that_getMe_refuses_is_a_problem()
    {
        await using var bot = await TelegramBotHost.StartAsync(TestSettings.Sandbox(WithTarget(), new Dictionary<string, string?> { ["Telegram:BotToken"] = "654321:NOT-THE-TOKEN" }));

        var row = Row(await CheckAsync(bot), "Telegram bot");

        Assert.False(row.Ok);
        Assert.StartsWith("getMe was refused: 401", row.Detail);
    }

    [Fact]
    public async Task A_slack_token_without_the_commands_scope_is_a_problem_naming_it()
    {
        await using var bot = await SlackBotHost.StartAsync(settings: TestSettings.Sandbox(WithTarget()));
        bot.Slack.Scopes = ["chat:write"];

        var rows = await CheckAsync(bot);

        Assert.True(Row(rows, "Slack bot").Ok);
        AssertProblem(rows, Row(rows, "Slack scopes"), "lacks commands", "Bot Token Scopes");
    }

    [Fact]
    public async Task A_snapshot_backup_whose_volume_is_being_destroyed_is_a_problem_for_the_volumes()
    {
        // No DatabaseUrl: the sandbox backs production up by snapshotting the migrations app's volume.
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox());
        var before = Row(await CheckAsync(bot), "Fly volumes of myloware-api");
        var volume = (string?)(await FlyAsync(bot, HttpMethod.Get, "apps/myloware-api/volumes"))!.AsArray().Single()!["id"];
        await FlyAsync(bot, HttpMethod.Delete, $"apps/myloware-api/volumes/{volume}");

        var rows = await CheckAsync(bot);

        Assert.True(before.Ok, before.ToString());
        AssertProblem(rows, Row(rows, "Fly volumes of myloware-api"), "all being destroyed", "fly volumes create data -a myloware-api");
    }

    [Fact]
    public async Task A_slack_token_that_auth_test_refuses_is_a_problem_naming_the_secret()
    {
        await using var bot = await SlackBotHost.StartAsync(settings: TestSettings.Sandbox(WithTarget(), new Dictionary<string, string?> { ["Slack:BotToken"] = "xoxb-revoked" }));

        var rows = await CheckAsync(bot);

        AssertProblem(rows, Row(rows, "Slack bot"), "auth.test answered invalid_auth", "fly secrets set SLACK_BOT_TOKEN");
        Assert.DoesNotContain(rows, r => r.Name == "Slack scopes");
    }

    [Fact]
    public async Task Only_approvers_may_run_the_doctor_from_a_chat()
    {
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox(WithTarget()));

        var refused = await bot.SayAsync("/doctor");
        await bot.SayAsync("/as bob");
        var report = await bot.SayAsync("/doctor");

        Assert.Contains("only approvers", refused);
        Assert.Contains("ok       GitHub repository", report);
        Assert.Contains("checks passed", report);
    }

    [Fact]
    public async Task The_doctor_command_exits_non_zero_and_prints_the_problem_row()
    {
        var (exit, stdout, stderr) = await HostProcess.RunAsync(new Dictionary<string, string>
        {
            ["ChatOps__Mode"] = "sandbox",
            ["DATABASE_URL"] = "postgres://nobody:secret-password@127.0.0.1:1/none",
            ["Logging__Level"] = "Fatal",
        }, "doctor");

        Assert.True(exit == 1, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("PROBLEM  Own store (", stdout);
        Assert.Contains("Fix: check DATABASE_URL", stdout);
        Assert.Contains("ok       GitHub repository", stdout);
        Assert.DoesNotContain("secret-password", stdout + stderr);
    }

    [Fact]
    public async Task When_the_doctors_time_runs_out_it_reports_the_rows_done_and_marks_the_rest_not_checked_in_time()
    {
        await using var bot = await SandboxBot.StartAsync(TestSettings.Sandbox(WithTarget()));
        // Fly hangs; the doctor's budget runs out while it waits for Fly, after GitHub's rows were done.
        bot.Sandbox.Faults.FlyHold.Close();
        using var budget = new CancellationTokenSource();
        _ = bot.Sandbox.Faults.FlyHold.Reached.ContinueWith(_ => budget.Cancel(), TaskScheduler.Default);

        var rows = await bot.Get<IDoctor>().CheckAsync(budget.Token);
        bot.Sandbox.Faults.FlyHold.Release();

        Assert.True(Row(rows, "GitHub repository").Ok, DoctorCheck.Report(rows));
        foreach (var name in new[] { "Fly", "Target database", "Store" })
        {
            var row = rows.Single(r => r.Name == name);
            Assert.False(row.Ok);
            Assert.Contains("not checked in time", row.Detail);
        }
        Assert.Equal(1, DoctorCheck.ExitCode(rows));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_pg_dump_older_than_the_target_server_is_a_problem_naming_the_build_argument()
    {
        // No older client is installed next to the test's server, so a pg_dump first on PATH answers as version 10 would.
        var bin = Directory.CreateTempSubdirectory("chatops-doctor-bin-").FullName;
        var pgDump = Path.Combine(bin, "pg_dump");
        await File.WriteAllTextAsync(pgDump, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 10.23'\n");
        File.SetUnixFileMode(pgDump, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (exit, stdout, stderr) = await RunDoctorAsync($"{bin}:{Environment.GetEnvironmentVariable("PATH")}");

        Assert.True(exit == 1, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("PROBLEM  pg_dump for production: The target database", stdout);
        Assert.Contains("newer than pg_dump 10, which refuses to dump it", stdout);
        Assert.Contains("Fix: the image's PG_MAJOR build argument must be at least", stdout);
        Assert.Contains("ok       production tables", stdout);
        Directory.Delete(bin, recursive: true);
    }

    [Fact]
    public async Task A_missing_pg_dump_is_a_problem_naming_the_package()
    {
        var empty = Directory.CreateTempSubdirectory("chatops-doctor-bin-").FullName;

        var (exit, stdout, stderr) = await RunDoctorAsync(empty);

        Assert.True(exit == 1, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("PROBLEM  pg_dump for production: pg_dump is not installed or not on PATH", stdout);
        Assert.Contains("Fix: install postgresql-client", stdout);
        Directory.Delete(empty);
    }

    /// <summary>The doctor verb against the sandbox and the prepared database, with the PATH it looks pg_dump up on.</summary>
    private async Task<(int Exit, string Stdout, string Stderr)> RunDoctorAsync(string path)
    {
        var store = Path.Combine(Path.GetTempPath(), $"chatops-doctor-{Guid.NewGuid():N}.db");
        try
        {
            return await HostProcess.RunAsync(new Dictionary<string, string>
            {
                ["ChatOps__Mode"] = "sandbox",
                ["ChatOps__StorePath"] = store,
                ["Sandbox__DatabaseUrl"] = _target.ConnectionString,
                ["ChatOps__Environments__production__Backup__Directory"] = Path.Combine(Path.GetTempPath(), "chatops-doctor-" + Guid.NewGuid().ToString("N")),
                ["PATH"] = path,
                ["Logging__Level"] = "Fatal",
            }, "doctor");
        }
        finally
        {
            File.Delete(store);
        }
    }
}
