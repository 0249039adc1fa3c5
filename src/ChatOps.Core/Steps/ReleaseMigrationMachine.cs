using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Steps;

/// <summary>
/// The release's migration machine: a temporary machine of the migrations app on the image of the service that runs
/// there, at the release's tag (pinned to the digest shown for approval, once there is one). Its migration files are
/// the release's own, which a machine still running the previous release does not have.
/// </summary>
public static class ReleaseMigrationMachine
{
    /// <summary>The image that holds the release's migrations.</summary>
    public static string ImageOf(Release release, EnvironmentSettings environment, string? digest = null)
    {
        var app = environment.Migrations.App;
        var service = environment.Services.FirstOrDefault(s => s.FlyApp == app)
            ?? throw new InvalidOperationException(
                $"Migrations:App {app} runs none of {release.Environment}'s services, so no image of the release is known to hold its migrations. Set it to the Fly app of the service whose image carries the Alembic project.");
        var image = DeployStep.ImageOf(release, service);
        digest ??= release.Outputs.PlannedDigests.GetValueOrDefault(service.Name);
        return DeployStep.Pin(image, digest);
    }

    public static Task<MigrationMachine> StartAsync(StepContext context, string image, CancellationToken cancellationToken) =>
        context.Ports.DeployTarget.StartMigrationMachineAsync(context.Environment.Migrations.App, context.Release.Id, image, waitStarted: true, cancellationToken);

    public static Task<MigrationMachine> StartAsync(StepContext context, CancellationToken cancellationToken) =>
        StartAsync(context, ImageOf(context.Release, context.Environment), cancellationToken);
}
