using ChatOps.Core.Chat;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using ChatOps.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Core.Tests.Runner;

public sealed class AutoRollbackFailureTests
{
    [Fact]
    public async Task An_auto_rollback_that_fails_to_start_is_said_in_the_chat_with_what_to_do_by_hand()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        var store = new InMemoryStore(clock);
        var releases = new RollbackStartFails(store);
        var settings = ShapedSettings.Create(1);
        var env = ShapedSettings.EnvironmentName(0);
        settings.Environments[env].AutoRollback = true;
        await using var core = new CoreRig(settings, clock, new StorePorts(releases, store, store, store, store));
        await SayAsync(core, ShapedSettings.Releaser, "/release v1.1.0");
        await SayAsync(core, ShapedSettings.Approver, "/approve 1");
        core.Fleet.BrokenTags.TryAdd("v1.2.0", 0);
        await SayAsync(core, ShapedSettings.Releaser, "/release v1.2.0");

        await SayAsync(core, ShapedSettings.Approver, "/approve 2");

        Assert.Equal(ReleaseState.Failed, (await store.GetAsync(2, CancellationToken.None))!.State);
        Assert.Contains(core.Surface.Said, line => line.Contains("Auto-rollback of #2 could not start", StringComparison.Ordinal)
            && line.Contains($"/rollback {env}", StringComparison.Ordinal));
        Assert.Equal(2, (await store.ListAsync(null, activeOnly: false, 10, CancellationToken.None)).Count);
    }

    private static async Task SayAsync(CoreRig core, ChatOps.Core.Domain.ChatUser user, string text)
    {
        await core.Bot.HandleAsync(new IncomingMessage(user, SignalSurface.Channel, text), CancellationToken.None);
        await core.WhenIdleAsync();
    }

    /// <summary>The store, away just when a rollback is to be inserted.</summary>
    private sealed class RollbackStartFails(InMemoryStore inner) : IReleaseStore
    {
        public Task<StartOutcome> TryStartAsync(Release release, AuditEvent started, CancellationToken cancellationToken) =>
            release.Kind == ReleaseKind.Rollback ? throw new TimeoutException("the store did not answer") : inner.TryStartAsync(release, started, cancellationToken);

        public Task<Release?> GetAsync(long id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public Task SaveAsync(Release release, AuditEvent? audit, string leaseOwner, CancellationToken cancellationToken) => inner.SaveAsync(release, audit, leaseOwner, cancellationToken);

        public Task<StopRequest?> RequestCancelAsync(AuditEvent requested, CancellationToken cancellationToken) => inner.RequestCancelAsync(requested, cancellationToken);

        public Task<bool> ClearCancelRequestAsync(long releaseId, CancellationToken cancellationToken) => inner.ClearCancelRequestAsync(releaseId, cancellationToken);

        public Task<IReadOnlyList<Release>> ListAsync(string? environment, bool activeOnly, int limit, CancellationToken cancellationToken) =>
            inner.ListAsync(environment, activeOnly, limit, cancellationToken);

        public Task AppendAsync(AuditEvent audit, CancellationToken cancellationToken) => inner.AppendAsync(audit, cancellationToken);

        public Task<IReadOnlyList<AuditEvent>> EventsAsync(long? releaseId, string? environment, int limit, CancellationToken cancellationToken) =>
            inner.EventsAsync(releaseId, environment, limit, cancellationToken);
    }
}
