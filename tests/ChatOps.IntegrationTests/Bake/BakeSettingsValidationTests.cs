using ChatOps.Core.Bake;
using ChatOps.Core.Settings;
using ChatOps.Host.Hosting;

namespace ChatOps.IntegrationTests.Bake;

public sealed class BakeSettingsValidationTests
{
    [Theory]
    [InlineData("00:10:00", "00:01:00", "baseline", null)]
    [InlineData("00:00:00", "00:00:00", "absolute", null)] // no bake: its interval does not matter
    [InlineData("-00:01:00", "00:01:00", "absolute", "Bake:Duration must not be negative")]
    [InlineData("00:10:00", "00:20:00", "absolute", "Bake:Interval must be positive and not longer than Bake:Duration")]
    [InlineData("00:10:00", "00:01:00", "above", "Bake:Checks:0:Compare must be baseline or absolute, not 'above'")]
    public void A_bad_bake_setting_stops_the_host_with_a_line_naming_the_key(string duration, string interval, string compare, string? error)
    {
        var settings = new ChatOpsSettings();
        settings.Environments["production"] = new EnvironmentSettings
        {
            Services = [new ServiceSettings { Name = "api", FlyApp = "my-api", Image = "registry.fly.io/my-api:{tag}", HealthUrl = "https://my-api.fly.dev/health" }],
            Backup = new BackupSettings { Mode = "fly-snapshot", App = "my-api" },
            Bake = new BakeSettings
            {
                Duration = TimeSpan.Parse(duration, System.Globalization.CultureInfo.InvariantCulture),
                Interval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture),
                Checks = [new BakeCheckSettings { Name = "queue", Query = "max(queue_depth)", Compare = compare, Limit = 5 }],
            },
        };

        var result = new ChatOpsSettingsValidator().Validate(null, settings);

        if (error is null)
            Assert.True(result.Succeeded, result.FailureMessage);
        else
            Assert.Contains(result.Failures ?? [], f => f.Contains("ChatOps:Environments:production:" + error, StringComparison.Ordinal));
    }
}
