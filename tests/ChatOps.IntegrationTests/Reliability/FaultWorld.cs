using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.IntegrationTests.Harness;
using ChatOps.IntegrationTests.Store;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace ChatOps.IntegrationTests.Reliability;

/// <summary>
/// Two bot instances on one PostgreSQL store, with the sandbox's GitHub and Fly for production and staging, and
/// Telegram (webhook mode, as two instances must use it) and Slack (HTTP mode) simulators, all failing at random.
/// </summary>
public sealed class FaultWorld : IAsyncDisposable
{
    public const long Group = -1001234567890;
    public const long TelegramReleaser = 1001;
    public const string SlackChannel = "C0RELEASES";
    public const string SlackReleaser = "U1001";
    public static readonly ChatUser Approver = new("telegram:1002");
    public static readonly ChatUser Releaser = new("telegram:1001");
    private const string SigningSecret = "fault-suite-signing-secret";
    private const string WebhookSecret = "fault-suite-webhook-secret";

    private readonly SemaphoreSlim _slackTarget = new(1, 1);
    private readonly List<FaultSuiteHost> _hosts = [];

    private FaultWorld(PostgresTestDatabase database, SandboxServer sandbox, TelegramSimulator telegram, SlackSimulator slack, RandomFaults faults)
    {
        Database = database;
        Sandbox = sandbox;
        Telegram = telegram;
        Slack = slack;
        Faults = faults;
    }

    public PostgresTestDatabase Database { get; }
    public SandboxServer Sandbox { get; }
    public TelegramSimulator Telegram { get; }
    public SlackSimulator Slack { get; }
    public RandomFaults Faults { get; }
    public EscapedExceptions Logs { get; } = new();
    public IReadOnlyList<FaultSuiteHost> Hosts => _hosts;

    /// <summary>The Fly apps of each environment, as the sandbox's example world names them.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Apps = new Dictionary<string, string[]>
    {
        ["production"] = ["myloware-api", "myloware-orchestrator"],
        ["staging"] = ["myloware-api-staging", "myloware-orchestrator-staging"],
    };

    /// <summary>Starts everything with the faults off; the suite turns them on once both instances run.</summary>
    public static async Task<FaultWorld> CreateAsync(RandomFaults faults, int instances)
    {
        faults.Enabled = false;
        var database = new PostgresTestDatabase();
        await database.InitializeAsync();
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            Apps = [.. Apps.SelectMany(e => e.Value.Select(app => new SandboxApp(app.Contains("orchestrator", StringComparison.Ordinal) ? "orchestrator" : "api", app, 1)))],
            MigrationsApp = "myloware-api",
            VolumeApps = ["myloware-api", "myloware-api-staging"],
            Latency = SandboxLatency.Zero,
        });
        sandbox.Faults.Random = faults;
        var telegram = await TelegramSimulator.StartAsync();
        telegram.AddChat(Group, "supergroup", "Releases");
        telegram.RandomFaults = faults;
        var slack = await SlackSimulator.StartAsync(SigningSecret);
        slack.RandomFaults = faults;
        var world = new FaultWorld(database, sandbox, telegram, slack, faults);
        try
        {
            for (var i = 0; i < instances; i++)
                world._hosts.Add(await FaultSuiteHost.StartAsync(world.Settings(), sandbox, s => s.AddSingleton<ILogEventSink>(world.Logs)));
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
        return world;
    }

    private Dictionary<string, string?> Settings() => TestSettings.Sandbox(new Dictionary<string, string?>
    {
        ["ConnectionStrings:ChatOps"] = Database.ConnectionString,
        // Short leases and sweeps, so that one instance takes over another's release within the suite's patience.
        ["ChatOps:LeaseTtl"] = "00:00:02",
        ["ChatOps:SweepInterval"] = "00:00:00.300",
        // Every per-attempt timeout short, so a hung call costs a second, not the default half minute.
        ["GitHub:Timeout"] = "00:00:00.500",
        ["Fly:Timeout"] = "00:00:00.500",
        ["Fly:PollInterval"] = "00:00:00.050",
        ["Slack:Timeout"] = "00:00:00.500",
        ["OutsideCalls:MaxRetryDelay"] = "00:00:02",
        ["ChatOps:VerifyInterval"] = "00:00:00.050",
        ["ChatOps:VerifyAttempts"] = "5",
        // The cards of both environments share one chat per platform; at the real pace of an edit a second the lanes
        // would trail the releases by minutes. Telegram's 429s still make a lane wait the second they ask for.
        ["Telegram:EditInterval"] = "00:00:00.050",
        ["Slack:UpdateInterval"] = "00:00:00.050",
        ["Telegram:BotToken"] = TelegramSimulator.DefaultToken,
        ["Telegram:ApiBaseUrl"] = Telegram.BaseUrl.ToString(),
        ["Telegram:WebhookUrl"] = "https://chatops.example/telegram/webhook",
        ["Telegram:WebhookSecret"] = WebhookSecret,
        ["Slack:BotToken"] = Slack.BotToken,
        ["Slack:SigningSecret"] = SigningSecret,
        ["Slack:ApiBaseUrl"] = Slack.ApiUrl.ToString(),
        ["ChatOps:Access:Releasers:0"] = Releaser.Id,
        ["ChatOps:Access:Releasers:1"] = $"slack:{SlackReleaser}",
        ["ChatOps:Access:Approvers:0"] = Approver.Id,
        ["Logging:Level"] = "Warning",
    });

    /// <summary>Types <c>/release tag env</c> in the Telegram group (delivered to one instance's webhook) or the Slack channel.</summary>
    public async Task AskForReleaseAsync(FaultSuiteHost host, bool overTelegram, string tag, string environment)
    {
        if (overTelegram)
        {
            var update = Telegram.NewTextUpdate(Group, TelegramReleaser, $"/release {tag} {environment}");
            var status = await Telegram.DeliverAsync(host.TelegramWebhook, update, WebhookSecret);
            Assert.Equal(System.Net.HttpStatusCode.OK, status);
            return;
        }
        // One BotUrl for the simulator: each command goes to the instance chosen for it.
        await _slackTarget.WaitAsync();
        try
        {
            Slack.BotUrl = host.BaseUrl;
            var delivery = await Slack.CommandAsync(SlackReleaser, SlackChannel, "/release", $"{tag} {environment}");
            Assert.Equal(200, delivery.Status);
        }
        finally
        {
            _slackTarget.Release();
        }
    }

    public async Task<Release> FindReleaseAsync(BotHost host, string tag, string environment) =>
        (await Eventually.MatchesAsync(
            async token => (await host.Store.ListAsync(environment, activeOnly: false, limit: 200, token)).FirstOrDefault(r => r.Tag == tag),
            found => found is not null,
            TimeSpan.FromSeconds(90),
            $"a release of {tag} to {environment}",
            scene: Replies))!;

    // The bot's last words in both chats, failed sends included, for a release that never started.
    private string Replies() =>
        "Telegram sendMessage calls:\n" + string.Join("\n", Telegram.CallsTo("sendMessage").TakeLast(6).Select(c => $"{c.Status} {c.Body["text"]}"))
        + "\nSlack response_url posts:\n" + string.Join("\n", Slack.HookPosts().TakeLast(6).Select(p => p.Text));

    /// <summary>
    /// Plays the people on call until the release ends: approves its migrations, and resumes it (as an operator
    /// who checked) when it stops in NeedsAttention, at most <paramref name="resumes"/> times. Returns why it needed
    /// attention each time.
    /// </summary>
    public static async Task<(Release Release, IReadOnlyList<string> Attentions)> DriveAsync(BotHost host, long id, int resumes, TimeSpan limit)
    {
        var attentions = new List<string>();
        var release = await Eventually.MatchesAsync(
            async token =>
            {
                var release = await host.Store.GetAsync(id, token) ?? throw new InvalidOperationException($"no release #{id}");
                var gate = release.Steps.FirstOrDefault(s => s.Name == Runbook.ApprovalStep);
                if (release.State == ReleaseState.AwaitApproval && gate?.Status == StepStatus.Waiting)
                    await host.Get<ApprovalCommands>().DecideAsync(id, null, Approver, approve: true, token);
                else if (release.State == ReleaseState.NeedsAttention && attentions.Count < resumes)
                {
                    attentions.Add($"{release.StoppedAt}: {release.Error}");
                    await host.Get<ResumeCommands>().ResumeAsync(id, Releaser, token);
                }
                return release;
            },
            release => !release.IsActive || (release.State == ReleaseState.NeedsAttention && attentions.Count >= resumes),
            limit,
            $"release #{id} to end",
            BotHost.Describe,
            poll: TimeSpan.FromMilliseconds(50));
        return (release, attentions);
    }

    public async ValueTask DisposeAsync()
    {
        Faults.Enabled = false;
        foreach (var host in _hosts)
            await host.DisposeAsync();
        await Slack.DisposeAsync();
        await Telegram.DisposeAsync();
        await Sandbox.DisposeAsync();
        await Database.DisposeAsync();
        _slackTarget.Dispose();
    }
}
