using ChatOps.Core.Chat;
using ChatOps.Core.Commands;

namespace ChatOps.Core.Tests.Commands;

public sealed class PromotionAndFiguresParsingTests
{
    private static readonly CommandParser Parser = new(@"^v\d+\.\d+\.\d+$", "ChatOpsBot", "production", ["production", "staging"]);

    [Fact]
    public void Promote_with_a_tag_alone_leaves_both_environments_to_the_configuration()
    {
        Assert.Equal(new PromoteCommand(new("v0.2.0"), null, null, null), Parser.Parse("/promote v0.2.0").Command);
    }

    [Fact]
    public void Promote_names_the_source_then_the_target()
    {
        Assert.Equal(new PromoteCommand(new("v0.2.0"), "staging", "production", null), Parser.Parse("/promote v0.2.0 STAGING production").Command);
    }

    [Fact]
    public void A_quoted_skip_promotion_reason_keeps_its_spaces()
    {
        var command = Assert.IsType<ReleaseCommand>(Parser.Parse("/release v0.2.0 production --skip-promotion \"hotfix for the payments outage\"").Command);

        Assert.Equal("hotfix for the payments outage", command.SkipPromotion);
        Assert.Equal("production", command.Environment);
    }

    [Theory]
    [InlineData("/release v0.2.0 --skip-promotion", "--skip-promotion needs a reason in quotes")]
    [InlineData("/rollback --skip-promotion \"why\"", "--skip-promotion only goes with /release and /promote")]
    [InlineData("/promote", "/promote needs a tag")]
    [InlineData("/promote v0.2.0 staging staging", "staging twice is not a promotion")]
    [InlineData("/promote v0.2.0 qa", "Unknown environment 'qa'")]
    [InlineData("/history --stats production 0d", "The period is 1d to 365d")]
    [InlineData("/history --stats production soon", "Too many words after /history")]
    public void Bad_promotion_and_figures_commands_get_one_clear_refusal(string text, string expected)
    {
        var parsed = Parser.Parse(text);

        Assert.Null(parsed.Command);
        Assert.Contains(expected, parsed.Error);
    }

    [Fact]
    public void History_stats_takes_an_environment_and_a_period_in_days()
    {
        var command = Assert.IsType<HistoryCommand>(Parser.Parse("/history --stats staging 7d").Command);

        Assert.True(command.Stats);
        Assert.Equal("staging", command.Environment);
        Assert.Equal(TimeSpan.FromDays(7), command.Period);
    }

    [Fact]
    public void History_stats_defaults_to_the_default_environment_over_thirty_days()
    {
        var command = Assert.IsType<HistoryCommand>(Parser.Parse("/history --stats").Command);

        Assert.Equal(("production", TimeSpan.FromDays(30)), (command.Environment, command.Period));
    }
}
