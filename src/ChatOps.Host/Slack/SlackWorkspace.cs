using System.Text.Json.Nodes;
using ChatOps.Core.Releases;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Slack;

/// <summary>
/// The one Slack workspace this bot serves: the one its bot token belongs to (auth.test), learnt at start-up, or at
/// the first request when Slack did not answer then. A request from any other workspace is refused before anything
/// is looked at: the signing secret is the app's, not the workspace's, so an app installed in a second workspace (or
/// a leaked secret) signs that workspace's requests just as well.
/// </summary>
public sealed class SlackWorkspace(ISlackApi api, IOptions<SlackOptions> options, ILogger<SlackWorkspace> log) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _learning = new(1, 1);
    private volatile string? _teamId;

    public Task StartAsync(CancellationToken cancellationToken) => LearnAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>True when <paramref name="payload"/> comes from the bot's workspace; a refusal is logged here.</summary>
    public async Task<bool> AdmitsAsync(string what, JsonObject payload, CancellationToken cancellationToken)
    {
        // Commands and events carry team_id; a click carries team.id (and the user's team_id).
        var team = payload.Text("team_id") ?? payload.Text("team", "id") ?? payload.Text("user", "team_id");
        var ours = _teamId ?? await LearnAsync(cancellationToken);
        if (ours is not null && string.Equals(team, ours, StringComparison.Ordinal))
            return true;
        if (ours is null)
            log.LogWarning("Refused a Slack {What}: the bot's own workspace is not known yet (auth.test did not answer)", what);
        else
            log.LogWarning("Refused a Slack {What} from workspace {TeamId}: this bot serves workspace {OwnTeamId} only", what, team ?? "(none)", ours);
        return false;
    }

    public void Dispose() => _learning.Dispose();

    private async Task<string?> LearnAsync(CancellationToken cancellationToken)
    {
        await _learning.WaitAsync(cancellationToken);
        try
        {
            if (_teamId is not null)
                return _teamId;
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(options.Value.Timeout);
            try
            {
                _teamId = await api.TeamIdAsync(limit.Token);
                log.LogInformation("Slack: the bot serves workspace {TeamId}", _teamId);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                log.LogWarning("Slack auth.test did not name the bot's workspace ({Error}); Slack requests are refused until it does", e.Message);
            }
            return _teamId;
        }
        finally
        {
            _learning.Release();
        }
    }
}
