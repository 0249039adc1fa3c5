using System.Text.Json.Nodes;
using ChatOps.Core.Ports;
using ChatOps.Core.Settings;
using ChatOps.Host.Doctor;
using ChatOps.Host.Http;
using Flurl.Http;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Fly;

/// <summary>
/// Every app of every environment answers with its machines (the migrations run in a temporary machine of the migrations
/// app; Fly reveals no token permissions, so the right to create one shows at the first release); volumes are visible
/// where backups are snapshots.
/// </summary>
internal sealed class FlyDoctor(IHttpClientFactory httpClients, IOptions<FlyOptions> options, ChatOpsSettings settings) : IDoctorChecks
{
    private const string TokenFix = "FLY_API_TOKEN must reach this app: fly tokens create deploy -a <app> for each app (or an org token), then fly secrets set FLY_API_TOKEN=…";

    public string Name => "Fly";

    public string GeneralFix => "check Fly:ApiBaseUrl and that api.machines.dev is reachable from the bot.";

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var api = new FlyApi(httpClients, options.Value);
        using var client = api.Open();
        var rows = new List<DoctorCheck>();
        var migrationApps = settings.Environments.Values.Select(e => e.Migrations.App).Where(a => a.Length > 0).ToHashSet(StringComparer.Ordinal);
        var snapshotApps = settings.Environments.Values.Where(e => e.Backup.Mode == "fly-snapshot")
            .Select(e => e.Backup.App.Length > 0 ? e.Backup.App : e.Migrations.App).Where(a => a.Length > 0).ToHashSet(StringComparer.Ordinal);
        var apps = settings.Environments.Values.SelectMany(e => e.Services.Select(s => s.FlyApp))
            .Concat(migrationApps).Concat(snapshotApps)
            .Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        foreach (var app in apps)
        {
            List<JsonObject> machines;
            try
            {
                // The bot's own migration machines come and go with releases: they are not the app's machines.
                machines = [.. (await FlyApi.ListAsync(client, app, cancellationToken)).Where(m => !FlyMigrationMachines.IsTemporary(m))];
            }
            catch (OutsideCallException e)
            {
                rows.Add(DoctorCheck.Problem($"Fly app {app}", $"cannot list its machines: {DoctorText.Why(e)}.",
                    e.StatusCode == 404 ? $"check the app name in ChatOps:Environments (fly apps list); {TokenFix}" : TokenFix));
                continue;
            }
            var started = machines.Count(m => (string?)m["state"] == "started");
            rows.Add(machines.Count == 0
                ? DoctorCheck.Problem($"Fly app {app}", "reachable, but it has no machines to deploy to.", $"deploy the app once by hand: fly deploy -a {app}.")
                : DoctorCheck.Pass($"Fly app {app}", $"reachable; {machines.Count} machines, {started} started."));
            if (migrationApps.Contains(app))
                rows.Add(DoctorCheck.Pass($"Fly migrations on {app}", "each release's migrations run in a temporary machine of this app started from the release's own image."));
            if (snapshotApps.Contains(app))
                rows.Add(await VolumesAsync(client, app, cancellationToken));
        }
        return rows;
    }

    private static async Task<DoctorCheck> VolumesAsync(IFlurlClient client, string app, CancellationToken cancellationToken)
    {
        try
        {
            var listed = await FlyApi.App(client, app, "volumes").CallJsonAsync<List<JsonObject>>(FlyApi.SystemName, HttpMethod.Get, null, cancellationToken);
            // The same choice the backup makes: a volume being destroyed is still listed, but cannot be snapshotted.
            var volumes = listed.Where(v => !FlyVolumes.IsGone((string?)v["state"])).ToList();
            return volumes.Count > 0
                ? DoctorCheck.Pass($"Fly volumes of {app}", $"{volumes.Count} visible; the backup snapshots {(string?)volumes[0]["id"]}.")
                : DoctorCheck.Problem($"Fly volumes of {app}", listed.Count == 0 ? "none: Backup:Mode fly-snapshot has nothing to snapshot." : $"none to snapshot: {listed.Count} listed, all being destroyed.",
                    $"create one (fly volumes create data -a {app}), use Backup:Mode pg_dump with a DatabaseUrl, or set Backup:App to the app with the volume.");
        }
        catch (OutsideCallException e)
        {
            return DoctorCheck.Problem($"Fly volumes of {app}", $"cannot list them: {DoctorText.Why(e)}.", TokenFix);
        }
    }
}
