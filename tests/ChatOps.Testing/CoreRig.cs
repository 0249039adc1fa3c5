using ChatOps.Core;
using ChatOps.Core.Bake;
using ChatOps.Core.Cards;
using ChatOps.Core.Chat;
using ChatOps.Core.Ports;
using ChatOps.Core.Runner;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;
using ChatOps.Core.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOps.Testing;

/// <summary>The core composed as the host composes it, on the given store ports and on fakes of every outside system.</summary>
public sealed class CoreRig : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly Task _serving;

    /// <param name="stores">The store's ports; an <see cref="InMemoryStore"/> by default.</param>
    /// <param name="deploymentRecords">Where deployments are recorded; none (GitHub:Deployments=false) by default.</param>
    public CoreRig(ChatOpsSettings settings, TimeProvider? clock = null, StorePorts? stores = null, RunnerSettings? runnerSettings = null, bool recordCards = true,
        IDeploymentRecords? deploymentRecords = null, IMetricsQuery? metrics = null)
    {
        Clock = clock ?? TimeProvider.System;
        Store = stores ?? StorePorts.Of(new InMemoryStore(Clock));
        Fleet = new FakeFleet();
        SourceControl = new FakeSourceControl(ShapedSettings.RequiredChecks);
        Database = new FakeDatabase(Clock);
        Surface = new SignalSurface { RecordCards = recordCards };
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(Clock)
            .AddSingleton(settings)
            .AddSingleton(runnerSettings ?? new RunnerSettings(ShapedSettings.RequiredChecks, "test") { VerifyAttempts = 1, VerifyInterval = TimeSpan.Zero })
            .AddSingleton<ISourceControl>(SourceControl)
            .AddSingleton<IDeployTarget>(Fleet)
            .AddSingleton<IServiceProbes>(Fleet)
            .AddSingleton<IDatabaseOperations>(Database)
            .AddSingleton(sp => new ReleasePorts(sp.GetRequiredService<ISourceControl>(), Fleet, sp.GetRequiredService<IDatabaseOperations>(), Fleet, Fleet, metrics))
            .AddSingleton(Store.Releases)
            .AddSingleton(Store.Approvals)
            .AddSingleton(Store.Environments)
            .AddSingleton(Store.Leases)
            .AddSingleton(Store.Updates)
            .AddSingleton(Store.IncidentStore)
            .AddSingleton<IChatSurface>(Surface)
            .AddReleaseCore();
        if (deploymentRecords is not null)
            services.AddSingleton(deploymentRecords);
        _services = services.BuildServiceProvider();
        // As the host's runner service does: the runner reads its inbox until the rig is disposed.
        _serving = Runner.ServeAsync(_services.GetRequiredService<ReleaseQueue>().Stopping);
    }

    public TimeProvider Clock { get; }

    public StorePorts Store { get; }

    public FakeFleet Fleet { get; }

    public FakeSourceControl SourceControl { get; }

    public FakeDatabase Database { get; }

    public SignalSurface Surface { get; }

    public ChatOpsBot Bot => _services.GetRequiredService<ChatOpsBot>();

    public ReleaseRunner Runner => _services.GetRequiredService<ReleaseRunner>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Completes when no release is being advanced.</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default) => _services.GetRequiredService<ReleaseQueue>().WhenIdleAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _services.GetRequiredService<ReleaseQueue>().DisposeAsync();
        await _serving;
        await _services.DisposeAsync();
    }
}

/// <summary>The store as the core sees it: one port per role.</summary>
/// <param name="Incidents">Where incidents are opened; the environments' store when it keeps them too (it shows the open one), else none open.</param>
public sealed record StorePorts(IReleaseStore Releases, IApprovalStore Approvals, IEnvironmentStore Environments, IReleaseLeases Leases, IUpdateLog Updates,
    IIncidentStore? Incidents = null)
{
    public static StorePorts Of<TStore>(TStore store)
        where TStore : IReleaseStore, IApprovalStore, IEnvironmentStore, IReleaseLeases, IUpdateLog, IIncidentStore =>
        new(store, store, store, store, store, store);

    public IIncidentStore IncidentStore => Incidents ?? Environments as IIncidentStore ?? new InMemoryStore(TimeProvider.System);
}
