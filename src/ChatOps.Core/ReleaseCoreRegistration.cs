using ChatOps.Core.Cards;
using ChatOps.Core.Chat;
using ChatOps.Core.Decisions;
using ChatOps.Core.Runner;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Core;

/// <summary>
/// The core's parts, registered once for the host, the tests and the benchmarks. The caller adds the ports
/// (stores, outside systems, chat surfaces), the settings, a <see cref="TimeProvider"/> and logging.
/// </summary>
public static class ReleaseCoreRegistration
{
    public static IServiceCollection AddReleaseCore(this IServiceCollection services)
    {
        services.AddSingleton<RestingCards>();
        services.AddSingleton<CardPublisher>();
        services.AddSingleton<ReleaseQueue>();
        services.AddSingleton<LeaseKeeper>();
        services.AddSingleton<ReleaseButtons>();
        services.AddSingleton<DeploymentLog>();
        services.AddSingleton<People>();
        services.AddSingleton<ReleaseAnnouncer>();
        services.AddSingleton<MigrationMachineSweep>();
        services.AddSingleton<ReleaseRecorder>();
        services.AddSingleton<StepExecutor>();
        services.AddSingleton<Paperwork>();
        services.AddSingleton<ReleaseRules>();
        services.AddSingleton<HeldRelease>();
        services.AddSingleton<StartDecisions>();
        services.AddSingleton<ApprovalDecisions>();
        services.AddSingleton<StopDecisions>();
        services.AddSingleton<LockDecisions>();
        services.AddSingleton<Confirmations>();
        services.AddSingleton<ReleaseRunner>();
        services.AddSingleton<StatusReporter>();
        services.AddSingleton<DryRunPlanner>();
        // The runner attaches itself to the queue that decisions enqueue on: it must exist before the first command.
        services.AddSingleton(sp =>
        {
            sp.GetRequiredService<ReleaseRunner>();
            return ActivatorUtilities.CreateInstance<ChatOpsBot>(sp);
        });
        return services;
    }
}
