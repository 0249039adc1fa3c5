using ChatOps.Core.Commands;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Tests.Commands;

public sealed class EnvironmentsTextTests
{
    [Fact]
    public void Plan_names_each_environment_with_its_services_and_its_promotion_rule()
    {
        var settings = new ChatOpsSettings();
        settings.Environments["production"] = new EnvironmentSettings
        {
            Services = [new ServiceSettings { Name = "api", FlyApp = "my-api" }],
            Migrations = new MigrationSettings { App = "my-api" },
            PromoteFrom = "staging",
            MinBake = TimeSpan.FromMinutes(15),
        };
        settings.Environments["staging"] = new EnvironmentSettings { Services = [new ServiceSettings { Name = "api", FlyApp = "my-api-staging" }] };

        Assert.Equal(
            "Environments:\n  production (default): api on my-api; migrations on my-api; backup pg_dump; 0 smoke tests; promotes from staging after 00:15:00"
            + "\n  staging: api on my-api-staging; no migrations; backup pg_dump; 0 smoke tests",
            EnvironmentsText.Describe(settings));
    }

    [Fact]
    public void Plan_says_so_when_no_environment_is_configured() =>
        Assert.Equal("Environments: none configured (ChatOps:Environments).", EnvironmentsText.Describe(new ChatOpsSettings()));
}
