using ChatOps.Core.Runner;
using ChatOps.Core.Store;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Hosting;

/// <summary>
/// Resumes unfinished releases at start-up; then, on a timer, expires undecided approvals, takes over releases
/// whose instance died, now and then removes migration machines nobody needs, and forgets chat updates handled long ago.
/// </summary>
public sealed class ReleaseRunnerService(
    ReleaseRunner runner, ReleaseRecovery recovery, ApprovalExpiry approvals, ReleaseQueue queue, IUpdateLog updates, MigrationMachineSweep migrationMachines,
    TimeProvider clock,
    IOptions<RunnerOptions> options, ILogger<ReleaseRunnerService> log) : BackgroundService
{
    // Telegram keeps an undelivered update for 24 hours and Slack retries an event within the hour; a week is well past both.
    public static readonly TimeSpan UpdateRetention = TimeSpan.FromDays(7);

    private static readonly TimeSpan ForgetEvery = TimeSpan.FromHours(1);

    // Listing every migrations app costs Fly calls: once a minute is soon enough for a machine that idles.
    private static readonly TimeSpan SweepMachinesEvery = TimeSpan.FromMinutes(1);

    private DateTimeOffset _forgotAt = DateTimeOffset.MinValue;
    private DateTimeOffset _sweptMachinesAt = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The runner reads its inbox for as long as the bot runs; what commands and the sweep ask for goes through it.
        var serving = runner.ServeAsync(stoppingToken);
        await recovery.RecoverAsync(stoppingToken);
        await SweepAsync(stoppingToken);
        await serving;
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await approvals.ExpireAsync(stoppingToken);
                    await recovery.RecoverAsync(stoppingToken);
                    await SweepMigrationMachinesAsync(stoppingToken);
                    await ForgetOldUpdatesAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "The release sweep failed; trying again at the next tick");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task SweepMigrationMachinesAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now - _sweptMachinesAt < SweepMachinesEvery)
            return;
        _sweptMachinesAt = now;
        await migrationMachines.SweepAsync(cancellationToken);
    }

    private async Task ForgetOldUpdatesAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now - _forgotAt < ForgetEvery)
            return;
        _forgotAt = now;
        var forgotten = await updates.ForgetAsync(now - UpdateRetention, cancellationToken);
        if (forgotten > 0)
            log.LogInformation("Forgot {Count} chat updates handled before {Before}", forgotten, now - UpdateRetention);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await queue.DisposeAsync();
    }
}
