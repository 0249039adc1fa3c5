using ChatOps.Core.Ports;
using ChatOps.Host.Doctor;
using ChatOps.Host.Http;
using Flurl.Http;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Slack;

/// <summary>Slack: auth.test with the bot token, and the scopes it reports.</summary>
internal sealed class SlackDoctor(IHttpClientFactory httpClients, IOptions<SlackOptions> options) : IDoctorChecks
{
    private static readonly string[] NeededScopes = ["chat:write", "commands"];

    public string Name => "Slack";

    public string GeneralFix => "check Slack:ApiBaseUrl and that slack.com is reachable from the bot.";

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var client = httpClients.CreateFlurlClient(SlackClient.HttpClientName, o.ApiBaseUrl.TrimEnd('/'), OutsideCalls.WebJson);
        using var response = await client.Request("auth.test").WithOAuthBearerToken(o.BotToken)
            .SendAsync("Slack", HttpMethod.Post, new { }, cancellationToken);
        var body = await response.GetJsonAsync<System.Text.Json.Nodes.JsonObject>();
        if (body["ok"]?.GetValue<bool>() != true)
            return [DoctorCheck.Problem("Slack bot", $"auth.test answered {(string?)body["error"]}.",
                "SLACK_BOT_TOKEN must be the app's Bot User OAuth Token (xoxb-…): fly secrets set SLACK_BOT_TOKEN=…")];
        var rows = new List<DoctorCheck> { DoctorCheck.Pass("Slack bot", $"user {(string?)body["user_id"]} in team {(string?)body["team_id"]}.") };
        var reported = response.Headers.TryGetFirst("x-oauth-scopes", out var header) ? header : null;
        if (reported is null)
        {
            rows.Add(DoctorCheck.Pass("Slack scopes", "Slack did not report the token's scopes; a missing one shows as missing_scope at the first post."));
            return rows;
        }
        var scopes = reported.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var missing = NeededScopes.Except(scopes, StringComparer.Ordinal).ToList();
        rows.Add(missing.Count == 0
            ? DoctorCheck.Pass("Slack scopes", string.Join(", ", scopes) + ".")
            : DoctorCheck.Problem("Slack scopes", $"the bot token lacks {string.Join(", ", missing)} (it has {string.Join(", ", scopes)}).",
                "add them under OAuth & Permissions → Bot Token Scopes, reinstall the app, and set the new SLACK_BOT_TOKEN."));
        return rows;
    }
}
