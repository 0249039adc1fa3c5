using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;

namespace ChatOps.IntegrationTests.Store;

/// <summary>
/// What every store promises, one contract per port, each run against each store. Tests share a database within a
/// class on Postgres, so each test works in environments, tokens and update ids of its own.
/// </summary>
public abstract class StoreContract(ITestStore stores) : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    protected static readonly CancellationToken None = CancellationToken.None;
    protected static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    // Leases expire on the database's clock, so a lease that has run out is made by claiming one that ends in the past.
    protected static readonly TimeSpan Expired = TimeSpan.FromSeconds(-1);

    protected string Env { get; } = $"env-{Guid.NewGuid():N}"[..12];

    protected StoreUnderTest Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await stores.OpenAsync();

    public async Task DisposeAsync() => await stores.DisposeAsync();

    /// <summary>Runs a statement straight on the database, beside the store.</summary>
    protected Task ExecuteAsync(string sql) => stores.ExecuteAsync(sql);

    protected Release NewRelease(string? environment = null, string tag = "v1.2.0") => new()
    {
        Kind = ReleaseKind.Release,
        Environment = environment ?? Env,
        Tag = tag,
        PreviousTag = "v1.1.0",
        Requester = "alice",
        Channel = new ChatChannel("telegram", "-10042"),
        State = ReleaseState.Requested,
        WithDatabase = true,
        BotVersion = "1.0.0-test",
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    protected static AuditEvent Started(Release release) =>
        new(null, release.Environment, release.Requester, "started", null, nameof(ReleaseState.Requested), release.Tag, release.CreatedAt);

    protected async Task<Release> StartAsync(string? environment = null, StoreUnderTest? on = null)
    {
        var release = NewRelease(environment);
        var outcome = await (on ?? Store).Releases.TryStartAsync(release, Started(release), None);
        return outcome.Started ?? throw new InvalidOperationException($"{release.Environment} is held by #{outcome.Holder?.Id}.");
    }

    protected async Task EndAsync(Release release, ReleaseState end = ReleaseState.Released)
    {
        var from = release.State;
        release.State = end;
        release.UpdatedAt = release.UpdatedAt.AddMinutes(5);
        await SaveAsync(release, new AuditEvent(release.Id, release.Environment, "bot", "ended", from.ToString(), end.ToString(), "", release.UpdatedAt));
    }

    /// <summary>Saves as the runner does: under the release's lease, given back afterwards.</summary>
    protected async Task SaveAsync(Release release, AuditEvent? audit = null)
    {
        const string owner = "host-saver";
        Assert.True(await Store.Leases.TryClaimAsync(release.Id, owner, TimeSpan.FromMinutes(1), None));
        await Store.Releases.SaveAsync(release, audit, owner, None);
        await Store.Leases.ReleaseAsync(release.Id, owner, None);
    }

    /// <summary>Two hosts on Postgres (two store instances on one database); the one store on SQLite.</summary>
    protected async Task<StoreUnderTest[]> HostsAsync() => [Store, await stores.OpenAsync()];
}
