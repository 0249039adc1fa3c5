using ChatOps.Core.Releases;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>
/// Keeps a running step's card current: redrawn when the step reports progress, and on a heartbeat so that the
/// elapsed time moves and a stall shows even while the step waits on one long outside call. Redraws are at most
/// one a second here, and the chat's lane coalesces them further into its edit budget.
/// </summary>
internal sealed class ProgressCard : IAsyncDisposable
{
    private static readonly TimeSpan MinGap = TimeSpan.FromSeconds(1);

    private readonly Release _release;
    private readonly StepRecord _record;
    private readonly ReleaseRecorder _recorder;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly CancellationTokenSource _stop;
    private readonly Task _heartbeat;
    private DateTimeOffset _shownAt = DateTimeOffset.MinValue;

    public ProgressCard(Release release, StepRecord record, ReleaseRecorder recorder, TimeSpan interval, TimeProvider clock, ILogger log, CancellationToken cancellationToken)
    {
        (_release, _record, _recorder, _clock, _log) = (release, record, recorder, clock, log);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _heartbeat = interval > TimeSpan.Zero ? BeatAsync(interval, _stop.Token) : Task.CompletedTask;
    }

    public async Task ReportAsync(string detail, CancellationToken cancellationToken)
    {
        _record.Detail = detail;
        _record.ProgressAt = _clock.GetUtcNow();
        if (_clock.GetUtcNow() - _shownAt >= MinGap)
            await ShowAsync(cancellationToken);
    }

    private async Task ShowAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            _shownAt = _clock.GetUtcNow();
            await _recorder.ShowProgressAsync(_release, cancellationToken);
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task BeatAsync(TimeSpan interval, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, _clock, stop);
                if (_clock.GetUtcNow() - _shownAt >= interval)
                    await ShowAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The step ended; its end redraws the card.
        }
        catch (Exception e)
        {
            // The card is a courtesy: a heartbeat that fails must not fail the step, whose outcome is what counts.
            _log.LogWarning(e, "Stopped redrawing the card of release {ReleaseId} during {Step}", _release.Id, _record.Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _heartbeat;
        _stop.Dispose();
        _turn.Dispose();
    }
}
