using System.Globalization;
using System.Net;
using ChatOps.Core.Releases;
using ChatOps.Host.Sandbox;
using ChatOps.Host.Store.Postgres;
using ChatOps.IntegrationTests.Harness;
using ChatOps.IntegrationTests.Store;
using ChatOps.Sandbox;
using Microsoft.Extensions.Configuration;

namespace ChatOps.IntegrationTests.Reliability;

/// <summary>
/// Two real host processes in live mode on one PostgreSQL store, aimed at the test's GitHub, Fly and Telegram
/// simulators (Telegram in webhook mode, as two instances must use it), so that either can be ended with SIGKILL.
/// The test reads the releases straight from the store and talks to the bot only as people do, over the webhook.
/// </summary>
public sealed class KillWorld : IAsyncDisposable
{
    public const long Group = -1001234567890;
    public const long TelegramReleaser = 1001;
    public const long TelegramApprover = 1002;
    private const string WebhookSecret = "kill-suite-webhook-secret";

    private readonly Npgsql.NpgsqlDataSource _leases;
    private readonly PostgresDatabase _store;
    private readonly List<KillableHost> _hosts = [];

    private KillWorld(PostgresTestDatabase database, SandboxServer sandbox, TelegramSimulator telegram)
    {
        Database = database;
        Sandbox = sandbox;
        Telegram = telegram;
        _store = new PostgresDatabase(PostgresConnectionString.DataSource(database.ConnectionString));
        _leases = PostgresConnectionString.DataSource(database.ConnectionString);
        Releases = new PostgresReleases(_store);
    }

    public PostgresTestDatabase Database { get; }
    public SandboxServer Sandbox { get; }
    public TelegramSimulator Telegram { get; }
    public PostgresReleases Releases { get; }
    public IReadOnlyList<KillableHost> Hosts => _hosts;

    /// <summary>
    /// The Fly apps of each environment. Live mode refuses the names of the sandbox's example world, so the suite
    /// names its own and puts them in the settings.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> Apps = new Dictionary<string, string[]>
    {
        ["production"] = ["kill-api", "kill-orchestrator"],
        ["staging"] = ["kill-api-staging", "kill-orchestrator-staging"],
    };

    public static async Task<KillWorld> CreateAsync(int instances)
    {
        var database = new PostgresTestDatabase();
        await database.InitializeAsync();
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            Apps = [.. Apps.SelectMany(e => e.Value.Select(app => new SandboxApp(app.Contains("orchestrator", StringComparison.Ordinal) ? "orchestrator" : "api", app, 1)))],
            MigrationsApp = "kill-api",
            VolumeApps = ["kill-api", "kill-api-staging"],
            Repository = "kill-suite/target-app",
            Latency = SandboxLatency.Zero,
        });
        var telegram = await TelegramSimulator.StartAsync();
        telegram.AddChat(Group, "supergroup", "Releases");
        var world = new KillWorld(database, sandbox, telegram);
        try
        {
            var environment = world.Environment();
            for (var i = 0; i < instances; i++)
                world._hosts.Add(new KillableHost(((char)('A' + i)).ToString(), environment));
            foreach (var host in world._hosts)
                host.Start();
            foreach (var host in world._hosts)
                await host.WaitReadyAsync(TimeSpan.FromSeconds(90));
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
        return world;
    }

    // The host's settings as environment variables, the way an operator (or Fly) sets them.
    private Dictionary<string, string> Environment()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ChatOps:Mode"] = "live",
            ["Console:Enabled"] = "false",
            ["ConnectionStrings:ChatOps"] = Database.ConnectionString,
            ["GitHub:Repository"] = Sandbox.Options.Repository,
            // Short leases and sweeps, so that one instance takes over a killed one's release within the suite's patience.
            ["ChatOps:LeaseTtl"] = "00:00:02",
            ["ChatOps:SweepInterval"] = "00:00:00.300",
            ["ChatOps:VerifyInterval"] = "00:00:00.050",
            ["ChatOps:VerifyAttempts"] = "5",
            ["OutsideCalls:RetryBaseDelay"] = "00:00:00.050",
            ["Fly:PollInterval"] = "00:00:00.050",
            ["Telegram:BotToken"] = TelegramSimulator.DefaultToken,
            ["Telegram:ApiBaseUrl"] = Telegram.BaseUrl.ToString(),
            ["Telegram:WebhookUrl"] = "https://chatops.example/telegram/webhook",
            ["Telegram:WebhookSecret"] = WebhookSecret,
            ["Telegram:EditInterval"] = "00:00:00.050",
            // Live mode serves only the chats it is told to.
            ["Telegram:AllowedChatIds:0"] = Group.ToString(CultureInfo.InvariantCulture),
            ["ChatOps:Access:Releasers:0"] = $"telegram:{TelegramReleaser}",
            ["ChatOps:Access:Approvers:0"] = $"telegram:{TelegramApprover}",
            ["Logging:Level"] = "Warning",
            ["Logging:Format"] = "json",
        };
        foreach (var (environment, apps) in Apps)
        {
            for (var i = 0; i < apps.Length; i++)
            {
                // Every service in full, as an operator sets it: the shipped appsettings.json names none.
                settings[$"ChatOps:Environments:{environment}:Services:{i}:Name"] = apps[i].Contains("orchestrator", StringComparison.Ordinal) ? "orchestrator" : "api";
                settings[$"ChatOps:Environments:{environment}:Services:{i}:HealthUrl"] = $"https://{apps[i]}.fly.dev/health";
                settings[$"ChatOps:Environments:{environment}:Services:{i}:FlyApp"] = apps[i];
                settings[$"ChatOps:Environments:{environment}:Services:{i}:Image"] = $"registry.fly.io/{apps[i]}:{{tag}}";
            }
            settings[$"ChatOps:Environments:{environment}:Migrations:App"] = apps[0];
        }
        // The keys that aim the environments' services, GitHub and Fly at this sandbox, as `ChatOps.Host simulators` prints them.
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"))
            .AddInMemoryCollection(settings)
            .Build();
        foreach (var (key, value) in SandboxBootstrap.Overlay(configuration, Sandbox))
            settings[key] = value;
        return settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
    }

    /// <summary>
    /// Someone types <paramref name="text"/> in the group; the update goes to an instance that is up, and to the other
    /// when that one is killed before it answers (the same update: the bot handles each update once).
    /// </summary>
    public async Task TypeAsync(long user, string text, Random choices)
    {
        var update = Telegram.NewTextUpdate(Group, user, text);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var up = _hosts.Where(h => h.Up).ToList();
            if (up.Count > 0)
            {
                var host = up[choices.Next(up.Count)];
                try
                {
                    if (await Telegram.DeliverAsync(host.TelegramWebhook, update, WebhookSecret) == HttpStatusCode.OK)
                        return;
                }
                catch (HttpRequestException)
                {
                    // Killed while it handled the update.
                }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no instance took '{text}'");
    }

    /// <summary>The bot's last words in the group, for a release that never started.</summary>
    public string Replies() =>
        string.Join("\n", Telegram.CallsTo("sendMessage").TakeLast(6).Select(c => $"{c.Status} {c.Body["text"]}"));

    public async Task<Release?> FindAsync(string tag, string environment) =>
        (await Releases.ListAsync(environment, activeOnly: false, limit: 200, CancellationToken.None)).FirstOrDefault(r => r.Tag == tag && r.Kind == ReleaseKind.Release);

    /// <summary>
    /// Plays the people until the release reaches Released or NeedsAttention: approves its migrations (again when an
    /// approval went to an instance killed before it acted), and cancels one stopped in NeedsAttention so the
    /// environment is free for the next. Returns the state it reached.
    /// </summary>
    public async Task<(Release Release, ReleaseState Reached)> DriveAsync(long id, Random choices, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        var approvedAt = DateTime.MinValue;
        while (DateTime.UtcNow < until)
        {
            var release = await Releases.GetAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"no release #{id}");
            if (!release.IsActive)
                return (release, release.State);
            if (release.State == ReleaseState.NeedsAttention)
            {
                // Typed again while it stays there, as a person does who is told another instance holds it for now.
                await TypeAsync(TelegramReleaser, $"/cancel {id.ToString(CultureInfo.InvariantCulture)}", choices);
                for (var look = 0; look < 50; look++)
                {
                    if (await Releases.GetAsync(id, CancellationToken.None) is { IsActive: false } ended)
                        return (ended, ReleaseState.NeedsAttention);
                    await Task.Delay(100);
                }
                continue;
            }
            var gate = release.Steps.FirstOrDefault(s => s.Name == Runbook.ApprovalStep);
            if (release.State == ReleaseState.AwaitApproval && gate?.Status == StepStatus.Waiting && DateTime.UtcNow - approvedAt > TimeSpan.FromSeconds(3))
            {
                approvedAt = DateTime.UtcNow;
                await TypeAsync(TelegramApprover, $"/approve {id.ToString(CultureInfo.InvariantCulture)}", choices);
            }
            await Task.Delay(100);
        }
        var last = await Releases.GetAsync(id, CancellationToken.None);
        throw new TimeoutException($"release #{id} did not end within {limit}: {(last is null ? "gone" : BotHost.Describe(last))}");
    }

    /// <summary>The active releases whose live lease the process holds (the lease owner names its process id), with their states.</summary>
    public async Task<IReadOnlyList<string>> HeldByAsync(int processId)
    {
        await using var command = _leases.CreateCommand("SELECT id, state FROM releases WHERE active AND lease_expires_at > now() AND lease_owner LIKE $1 ORDER BY id");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = $"%:{processId.ToString(CultureInfo.InvariantCulture)}:%" });
        await using var reader = await command.ExecuteReaderAsync();
        var held = new List<string>();
        while (await reader.ReadAsync())
            held.Add($"#{reader.GetInt64(0).ToString(CultureInfo.InvariantCulture)} {reader.GetValue(1)}");
        return held;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
            await host.DisposeAsync();
        await _store.DisposeAsync();
        await _leases.DisposeAsync();
        await Telegram.DisposeAsync();
        await Sandbox.DisposeAsync();
        await Database.DisposeAsync();
    }
}
