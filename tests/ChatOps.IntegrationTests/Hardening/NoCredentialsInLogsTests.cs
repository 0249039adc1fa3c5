using System.Collections.Concurrent;
using ChatOps.Core.Releases;
using ChatOps.IntegrationTests.Harness;
using ChatOps.IntegrationTests.Slack;
using ChatOps.IntegrationTests.Store;
using ChatOps.IntegrationTests.Telegram;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace ChatOps.IntegrationTests.Hardening;

/// <summary>
/// A release, a failed release and its rollback on each platform, then every log line searched for every credential.
/// Run alone: Serilog's hosting integration logs through the process-wide logger of the host started last, so
/// another test's host starting meanwhile would take these log lines away.
/// </summary>
[Collection(LogCollection.Name)]
public sealed class NoCredentialsInLogsTests
{
    private static readonly string[] SecretKeys = ["Telegram:BotToken", "Telegram:WebhookSecret", "Slack:BotToken", "Slack:SigningSecret", "Slack:AppToken", "Fly:ApiToken", "GitHub:Token"];

    private static readonly Dictionary<string, string?> Verbose = new() { ["Logging:Level"] = "Debug" };

    [Fact]
    public async Task Over_slack_no_log_line_holds_a_token_the_signing_secret_or_any_response_url()
    {
        var logs = new LogLines();
        await using var bot = await SlackBotHost.StartAsync(settings: Verbose, configure: s => s.AddSingleton<ILogEventSink>(logs));
        // Slack's hook failing once makes the bot log the failed post, which is where the response_url leaked.
        bot.Slack.FailNext("response_url", "server_error");
        var urls = new List<string>();

        var first = await bot.Slack.CommandAsync(SlackBotHost.Releaser, SlackBotHost.Channel, "/release", "v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        var approve = await bot.Slack.ClickAsync(SlackBotHost.Approver, card, "Approve migrations");
        await bot.ReplyToAsync(approve);
        await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");
        bot.Sandbox.Faults.UnhealthyTags.Add("v0.3.0");
        var second = await bot.Slack.CommandAsync(SlackBotHost.Releaser, SlackBotHost.Channel, "/release", "v0.3.0");
        // Nothing left to migrate after #1, so #2 passes its gate without asking and fails at Verify.
        var failed = await bot.CardShowingAsync("Release #2", "Failed at Verify");
        var asked = await bot.Slack.ClickAsync(SlackBotHost.Releaser, failed, "Roll back");
        var confirm = await bot.WaitForAsync("the confirmation", () =>
            bot.Slack.Messages(SlackBotHost.Channel).FirstOrDefault(m => m.Buttons.Any(b => b.Text == "Yes, roll back production")));
        var rollBack = await bot.Slack.ClickAsync(SlackBotHost.Releaser, confirm, "Yes, roll back production");
        await bot.CardShowingAsync("Rollback #3", "Rolled back production to v0.2.0");
        await bot.WhenIdleAsync();
        foreach (var delivery in new[] { first, approve, second, asked, rollBack }.Where(d => d.HookId is { Length: > 0 }))
            urls.Add($"/hooks/{delivery.HookId}");
        Assert.NotEmpty(urls);

        AssertClean(logs, Secrets(bot).Concat(urls));
        // The failed post was logged, path and all, just with the credential taken out.
        Assert.Contains(logs.Lines, l => l.Contains("/hooks/[redacted]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Over_slack_no_log_line_holds_a_buttons_action_token_even_when_handling_the_click_fails()
    {
        var store = new PostgresTestDatabase();
        await store.InitializeAsync();
        try
        {
            var logs = new LogLines();
            var settings = new Dictionary<string, string?>(Verbose) { ["ConnectionStrings:ChatOps"] = store.ConnectionString };
            await using var bot = await SlackBotHost.StartAsync(settings: settings, configure: s => s.AddSingleton<ILogEventSink>(logs));
            await bot.Slack.CommandAsync(SlackBotHost.Releaser, SlackBotHost.Channel, "/release", "v0.2.0");
            var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
            var tokens = card.Buttons.Select(b => b.Value).ToList();
            Assert.NotEmpty(tokens);
            // The store goes away under the click, so the click's failure is logged with what was pressed.
            await store.ExecuteAsync("ALTER TABLE processed_updates RENAME TO processed_updates_away");

            var approve = await bot.Slack.ClickAsync(SlackBotHost.Approver, card, "Approve migrations");
            var answer = await bot.ReplyToAsync(approve);
            await store.ExecuteAsync("ALTER TABLE processed_updates_away RENAME TO processed_updates");

            Assert.Contains("did not work", answer.Text);
            Assert.Contains(logs.Lines, l => l.Contains("could not be handled", StringComparison.Ordinal));
            AssertClean(logs, tokens);
        }
        finally
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public void The_langsmith_api_key_of_every_environment_is_masked_in_the_log_output()
    {
        const string key = "lsv2_pt_0123456789abcdef0123456789abcdef_0123456789";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ChatOps:Environments:staging:Observability:LangSmithApiKey"] = key,
        }).Build();
        var output = new StringWriter();
        var before = Console.Error;
        Console.SetError(output);
        try
        {
            var logger = new Serilog.LoggerConfiguration();
            ChatOps.Host.Hosting.ChatOpsLogging.Configure(logger, configuration);
            using (var log = logger.CreateLogger())
                log.Warning("LangSmith answered 401 for key {Key}", key);
        }
        finally
        {
            Console.SetError(before);
        }

        Assert.Contains(key, ChatOps.Host.Hosting.ChatOpsLogging.Secrets(configuration));
        Assert.Contains("LangSmith answered 401 for key", output.ToString());
        Assert.DoesNotContain(key, output.ToString());
    }

    [Fact]
    public async Task Over_telegram_no_log_line_holds_the_bot_token_or_any_other_secret()
    {
        var logs = new LogLines();
        await using var bot = await TelegramBotHost.StartAsync(Verbose, s => s.AddSingleton<ILogEventSink>(logs));
        const long group = TelegramBotHost.Group;

        bot.Telegram.Type(group, TelegramBotHost.Releaser, "/release v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        await bot.AnswerToAsync(bot.Telegram.Press(group, TelegramBotHost.Approver, card.Id, "Approve migrations"));
        await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");
        bot.Sandbox.Faults.UnhealthyTags.Add("v0.3.0");
        bot.Telegram.Type(group, TelegramBotHost.Releaser, "/release v0.3.0");
        var failed = await bot.CardShowingAsync("Release #2", "Failed at Verify");
        await bot.AnswerToAsync(bot.Telegram.Press(group, TelegramBotHost.Releaser, failed.Id, "Roll back"));
        var confirm = await bot.WaitForAsync("the confirmation", () =>
            bot.Telegram.BotMessages(group).FirstOrDefault(m => m.Buttons.Any(b => b.Text == "Yes, roll back production")));
        await bot.AnswerToAsync(bot.Telegram.Press(group, TelegramBotHost.Releaser, confirm.Id, "Yes, roll back production"));
        await bot.CardShowingAsync("Rollback #3", "Rolled back production to v0.2.0");
        await bot.WhenIdleAsync();

        AssertClean(logs, Secrets(bot));
    }

    private static IEnumerable<string> Secrets(BotHost bot)
    {
        var configuration = bot.Services.GetRequiredService<IConfiguration>();
        var keys = SecretKeys.Concat(configuration.GetSection("ChatOps:Environments").GetChildren()
            .SelectMany(e => new[] { $"ChatOps:Environments:{e.Key}:ApiKey", $"ChatOps:Environments:{e.Key}:Observability:LangSmithApiKey" }));
        // Short values ("test") would match ordinary words; real secrets are long, and the sandbox's are too.
        return keys.Select(k => configuration[k]).OfType<string>().Where(v => v.Length >= 8).Distinct();
    }

    private static void AssertClean(LogLines logs, IEnumerable<string> secrets)
    {
        var lines = logs.Lines.ToList();
        Assert.NotEmpty(lines);
        foreach (var secret in secrets)
        {
            var leaks = lines.Where(l => l.Contains(secret, StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, $"{leaks.Count} log lines hold a secret ({secret[..4]}…):\n{string.Join('\n', leaks.Take(3))}");
        }
    }

    private sealed class LogLines : ILogEventSink
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public void Emit(LogEvent logEvent) =>
            Lines.Enqueue($"{logEvent.RenderMessage()} {string.Join(' ', logEvent.Properties.Values)} {logEvent.Exception}");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LogCollection
{
    public const string Name = "Process-wide logs";
}
