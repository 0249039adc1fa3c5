using ChatOps.Core.Commands;

namespace ChatOps.Core.Tests.Bake;

public sealed class BakeCommandParsingTests
{
    private static readonly CommandParser Parser = new(@"^v\d+\.\d+\.\d+$", "ChatOpsBot", "production", ["production", "staging"]);

    [Theory]
    [InlineData("/bake 12 --skip \"hotfix, watched by hand\"", 12, "hotfix, watched by hand", false)]
    [InlineData("/bake #12 --faulty “checkout errors”", 12, "checkout errors", true)]
    [InlineData("/bake 12 --faulty errors up on the dashboard", 12, "errors up on the dashboard", true)]
    [InlineData("/bake@ChatOpsBot 3 --SKIP \"ok\"", 3, "ok", false)]
    public void A_bake_is_ended_by_id_with_skip_or_faulty_and_a_reason(string text, long id, string reason, bool faulty)
    {
        Assert.Equal(new BakeCommand(id, reason, faulty), Parser.Parse(text).Command);
    }

    [Theory]
    [InlineData("/bake 12 --skip")]
    [InlineData("/bake 12 --skip \"\"")]
    [InlineData("/bake 12")]
    [InlineData("/bake --skip \"x\"")]
    [InlineData("/bake twelve --faulty \"x\"")]
    public void A_bake_command_without_an_id_an_action_or_a_reason_is_refused_saying_how(string text)
    {
        var result = Parser.Parse(text);

        Assert.Null(result.Command);
        Assert.Contains("/bake", result.Error);
    }
}
