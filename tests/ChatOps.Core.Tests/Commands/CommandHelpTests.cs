using ChatOps.Core.Chat;
using ChatOps.Core.Commands;

namespace ChatOps.Core.Tests.Commands;

public sealed class CommandHelpTests
{
    private static readonly CommandParser Parser = new(@"^v\d+\.\d+\.\d+$", "ChatOpsBot", "production", ["production", "staging"]);

    public static TheoryData<string> Names => [.. CommandHelp.Commands.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Help_for_a_command_gives_its_usage_and_examples(string name)
    {
        var parsed = Parser.Parse($"/help {name}");

        Assert.Equal(new HelpCommand(name), parsed.Command);
        var text = CommandHelp.For(name);
        Assert.StartsWith($"Usage: {CommandHelp.Usage[name]}", text);
        Assert.Contains("Examples:", text);
        Assert.All(CommandHelp.Commands.Single(c => c.Name == name).Examples, e => Assert.Contains(e.Typed, text));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_example_in_the_help_is_a_command_the_parser_takes(string name)
    {
        foreach (var example in CommandHelp.Commands.Single(c => c.Name == name).Examples)
        {
            var parsed = Parser.Parse(example.Typed);
            Assert.True(parsed.Error is null, $"{example.Typed}: {parsed.Error}");
        }
    }

    [Fact]
    public void Help_for_rollback_shows_the_check_and_the_second_press()
    {
        var text = CommandHelp.For("rollback");

        Assert.Contains("/rollback --check", text);
        Assert.Contains("/rollback staging --to v0.1.0", text);
        Assert.Contains("\"Yes, roll back production\"", text);
    }

    [Theory]
    [InlineData("/help /rollback", "rollback")]
    [InlineData("/help ROLLBACK", "rollback")]
    [InlineData("/start status", "status")]
    public void Help_takes_a_command_with_or_without_its_slash(string typed, string topic) =>
        Assert.Equal(new HelpCommand(topic), Parser.Parse(typed).Command);

    [Fact]
    public void Help_for_an_unknown_command_says_so_and_lists_the_commands()
    {
        var parsed = Parser.Parse("/help deploy");

        Assert.Null(parsed.Command);
        Assert.Contains("There is no command /deploy", parsed.Error);
        Assert.All(CommandHelp.Commands, c => Assert.Contains($"/{c.Name}", parsed.Error));
    }

    [Fact]
    public void Help_alone_lists_every_command_and_tells_of_help_for_one()
    {
        var text = CommandHelp.Text();

        Assert.All(CommandHelp.Usage.Values, usage => Assert.Contains(usage, text));
        Assert.Contains("/help <command>", text);
    }

    [Fact]
    public void Every_description_fits_the_telegram_command_menu()
    {
        // setMyCommands refuses a description over 256 characters; the menu is built from this table.
        Assert.All(CommandHelp.Commands, c => Assert.InRange(c.Description.Length, 1, 256));
    }
}
