using ChatOps.IntegrationTests.Harness;

namespace ChatOps.IntegrationTests.Hardening;

public sealed class ConsoleIdentityTests
{
    [Fact]
    public async Task The_console_user_from_configuration_is_spelled_as_as_spells_it_so_four_eyes_holds()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?>
        {
            ["Console:User"] = "Bob",
            ["ChatOps:Access:Releasers:0"] = "console:bob",
            ["ChatOps:Access:Approvers:0"] = "console:bob",
        });
        await bot.SayAsync("/release v0.2.0");
        await bot.SayAsync("/as bob");

        var approval = await bot.SayAsync("/approve 1");

        Assert.Contains("four-eyes", approval);
        Assert.Equal(0, bot.Sandbox.Mutations.Count("fly.exec:alembic upgrade"));
    }
}
