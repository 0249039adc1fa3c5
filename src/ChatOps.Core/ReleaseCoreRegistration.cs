using ChatOps.Core.Cards;
using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Core.Rules;
using ChatOps.Core.Runner;
using ChatOps.Core.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Core;

/// <summary>
/// The core's parts, registered once for the host, the tests and the benchmarks. The caller adds the ports
/// (stores, outside systems, chat surfaces), the settings, a <see cref="TimeProvider"/> and logging, and runs
/// <see cref="ReleaseRunner.ServeAsync"/> (the host's runner service does).
/// </summary>
public static class ReleaseCoreRegistration
{
    public static IServiceCollection AddReleaseCore(this IServiceCollection services)
    {
        // The rules: pure, from the settings alone.
        services.AddSingleton(sp => new AccessPolicy(sp.GetRequiredService<ChatOpsSettings>().Access));
        services.AddSingleton<AccessRules>();
        services.AddSingleton<GateRules>();
        services.AddSingleton<StopRules>();
        services.AddSingleton<BakeRules>();
        services.AddSingleton<LockRules>();
        services.AddSingleton(sp => new FreezeRules(sp.GetRequiredService<ChatOpsSettings>(), sp.GetRequiredService<AccessPolicy>()));
        services.AddSingleton<PromotionRule>();
        services.AddSingleton<RollbackRules>();

        // Cards and the people on them.
        services.AddSingleton<People>();
        services.AddSingleton<RestingCards>();
        services.AddSingleton<CardPublisher>();

        // The runner and what it does at a release's boundaries.
        services.AddSingleton<ReleaseQueue>();
        services.AddSingleton<LeaseKeeper>();
        services.AddSingleton<HeldRelease>();
        services.AddSingleton<ReleaseButtons>();
        services.AddSingleton<DeploymentLog>();
        services.AddSingleton<ReleaseAnnouncer>();
        services.AddSingleton<MigrationMachineSweep>();
        services.AddSingleton<ReleaseRecorder>();
        services.AddSingleton<EndBookkeeping>();
        services.AddSingleton<ReleaseEnd>();
        services.AddSingleton<ReleaseStarter>();
        services.AddSingleton<RollbackStarter>();
        services.AddSingleton<RollbacksAfterEnd>();
        services.AddSingleton<ReleaseEndings>();
        services.AddSingleton<ReleaseGates>();
        services.AddSingleton<StepExecutor>();
        services.AddSingleton<Paperwork>();
        services.AddSingleton<ApprovalExpiry>();
        services.AddSingleton<ReleaseRecovery>();
        services.AddSingleton<ReleaseRunner>();

        // What people's commands do; each handler takes its own commands.
        services.AddSingleton(sp => CommandParser.For(sp.GetRequiredService<ChatOpsSettings>()));
        services.AddSingleton<StatusReporter>();
        services.AddSingleton<DryRunPlanner>();
        services.AddSingleton<GateJudge>();
        services.AddSingleton<RollbackCommands>();
        services.AddSingleton<StopCommands>();
        services.AddHandler<ReadCommands>();
        services.AddHandler<ReleaseCommands>();
        services.AddHandler<RollbackConfirmations>();
        services.AddHandler<ApprovalCommands>();
        services.AddHandler<ResumeCommands>();
        services.AddHandler<BakeCommands>();
        services.AddHandler<LockCommands>();
        services.AddHandler<IncidentCommands>();
        services.AddSingleton<ICommandHandler>(sp => sp.GetRequiredService<StopCommands>());
        services.AddSingleton<ButtonPresses>();

        // The chat's front door: one parse, one route, each update once.
        services.AddSingleton<UpdateClaims>();
        services.AddSingleton<ChatOpsBot>();
        return services;
    }

    private static void AddHandler<T>(this IServiceCollection services) where T : class, ICommandHandler
    {
        services.AddSingleton<T>();
        services.AddSingleton<ICommandHandler>(sp => sp.GetRequiredService<T>());
    }
}
