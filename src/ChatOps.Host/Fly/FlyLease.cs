using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.Fly;

// An exclusive lease on one machine for the length of a deploy: acquired (waiting out someone else's lease for up
// to a minute, as fly-go does), refreshed in the background, released on dispose even when the deploy failed.
internal sealed class FlyLease : IAsyncDisposable
{
    public const string NonceHeader = "fly-machine-lease-nonce";
    private const string SystemName = "Fly";
    private static readonly TimeSpan WaitForOthers = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(15);

    private readonly Func<IFlurlRequest> _lease;
    private readonly int _ttlSeconds;
    private readonly string _machine;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _refresh;

    private FlyLease(Func<IFlurlRequest> lease, string nonce, int ttlSeconds, string machine, ILogger logger, TimeProvider time)
    {
        _lease = lease;
        Nonce = nonce;
        _ttlSeconds = ttlSeconds;
        _machine = machine;
        _logger = logger;
        _refresh = RefreshAsync(TimeSpan.FromSeconds(ttlSeconds) / 3, time);
    }

    public string Nonce { get; }

    public static async Task<FlyLease> AcquireAsync(
        Func<IFlurlRequest> lease, TimeSpan ttl, string machine, string description, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        var ttlSeconds = (int)Math.Ceiling(ttl.TotalSeconds);
        var giveUp = time.GetUtcNow() + WaitForOthers;
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            using var response = await lease().SendAsync(SystemName, HttpMethod.Post, new { ttl = ttlSeconds, description }, cancellationToken, 409);
            if (response.StatusCode != 409)
            {
                var envelope = await response.ReadJsonAsync<LeaseEnvelope>(SystemName);
                return envelope is { Status: "success", Data.Nonce: { Length: > 0 } nonce }
                    ? new FlyLease(lease, nonce, ttlSeconds, machine, logger, time)
                    : throw new OutsideCallException($"Fly did not grant a lease on {machine}: {envelope.Message ?? envelope.Code ?? envelope.Status}");
            }

            if (time.GetUtcNow() + delay > giveUp)
            {
                var held = await OutsideCallException.FromResponseAsync(SystemName, response);
                throw new OutsideCallException($"{machine} stayed leased by someone else for a minute; is another deploy running? ({held.Message})", 409);
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _refresh;
        // Released even when the caller gave up: a lease left behind blocks the next deploy until it expires.
        using var timeout = new CancellationTokenSource(ReleaseTimeout);
        try
        {
            using var _ = await _lease().WithHeader(NonceHeader, Nonce).SendAsync(SystemName, HttpMethod.Delete, null, timeout.Token);
        }
        catch (Exception ex) when (ex is OutsideCallException or OperationCanceledException)
        {
            _logger.LogWarning("Could not release the lease on {Machine}; it expires by itself within {TtlSeconds} s: {Reason}", _machine, _ttlSeconds, ex.Message);
        }

        _stop.Dispose();
    }

    private async Task RefreshAsync(TimeSpan interval, TimeProvider time)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    using var _ = await _lease().WithHeader(NonceHeader, Nonce)
                        .SendAsync(SystemName, HttpMethod.Post, new { ttl = _ttlSeconds }, _stop.Token);
                }
                catch (OutsideCallException ex)
                {
                    _logger.LogWarning("Could not refresh the lease on {Machine}: {Reason}", _machine, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by DisposeAsync.
        }
    }
}
