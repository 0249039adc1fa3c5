using ChatOps.Core.Runner;

namespace ChatOps.Host.Hosting;

/// <summary>Resumes unfinished releases at start-up; then, on a timer, expires undecided approvals and takes over releases whose instance died.</summary>
public sealed class ReleaseRunnerService(ReleaseRunner runner, IConfiguration configuration, ILogger<ReleaseRunnerService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await runner.RecoverAsync(stoppingToken);
        var interval = configuration.GetValue("ChatOps:SweepInterval", TimeSpan.FromSeconds(15));
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await runner.ExpireApprovalsAsync(stoppingToken);
                    await runner.RecoverAsync(stoppingToken);
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

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await runner.DisposeAsync();
    }
}
