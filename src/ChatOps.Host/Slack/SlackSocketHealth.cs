namespace ChatOps.Host.Slack;

/// <summary>Where the Socket Mode connection stands, for <c>GET /health</c>: written by <see cref="SlackReceiver"/> only.</summary>
public sealed class SlackSocketHealth(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private string _state = "connecting";
    private DateTimeOffset _since = clock.GetUtcNow();
    private string? _lastProblem;

    public void Set(string state, string? problem = null)
    {
        lock (_gate)
        {
            if (_state != state)
                _since = clock.GetUtcNow();
            _state = state;
            if (problem is not null)
                _lastProblem = problem;
        }
    }

    public object Report()
    {
        lock (_gate)
            return new { state = _state, since = _since, lastProblem = _lastProblem };
    }
}
