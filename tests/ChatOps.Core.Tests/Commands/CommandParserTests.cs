using ChatOps.Core.Chat;
using ChatOps.Core.Commands;

namespace ChatOps.Core.Tests.Commands;

public sealed class CommandParserTests
{
    private static readonly CommandParser Parser = new(@"^v\d+\.\d+\.\d+$", "ChatOpsBot", "production", ["production", "staging"]);

    public static TheoryData<string, ChatCommand> Good => new()
    {
        { "/release v0.2.0", new ReleaseCommand(new("v0.2.0"), "production", false) },
        { "/release v0.2.0 staging", new ReleaseCommand(new("v0.2.0"), "staging", false) },
        { "/release v0.2.0 --dry-run", new ReleaseCommand(new("v0.2.0"), "production", true) },
        { "  /release   v1.10.3   STAGING  ", new ReleaseCommand(new("v1.10.3"), "staging", false) },
        { "/release@ChatOpsBot v1.0.0", new ReleaseCommand(new("v1.0.0"), "production", false) },
        { "/RELEASE@chatopsbot v1.0.0", new ReleaseCommand(new("v1.0.0"), "production", false) },
        { "/rollback", new RollbackCommand("production", null, false) },
        { "/rollback staging --to v0.1.0 --with-db", new RollbackCommand("staging", new("v0.1.0"), true) },
        { "/approve 12", new ApproveCommand(12) },
        { "/approve #12", new ApproveCommand(12) },
        { "/reject 3", new RejectCommand(3) },
        { "/cancel", new CancelCommand(null) },
        { "/cancel 7", new CancelCommand(7) },
        { "/resume 7", new ResumeCommand(7) },
        { "/status", new StatusCommand("production", null) },
        { "/status staging", new StatusCommand("staging", null) },
        { "/status 9", new StatusCommand("production", 9) },
        { "/history staging", new HistoryCommand("staging") },
        { "/lock incident on payments --for 2h", new LockCommand("production", "incident on payments", TimeSpan.FromHours(2)) },
        { "/lock staging db upgrade", new LockCommand("staging", "db upgrade", null) },
        { "/unlock", new UnlockCommand("production", false) },
        { "/unlock staging --force", new UnlockCommand("staging", true) },
        { "/whoami", new WhoAmICommand() },
        { "/help", new HelpCommand() },
        { "/plan", new PlanCommand() },
    };

    [Theory]
    [MemberData(nameof(Good))]
    public void A_good_command_is_parsed(string text, ChatCommand expected)
    {
        var result = Parser.Parse(text);

        Assert.Null(result.Error);
        Assert.Equal(expected, result.Command);
    }

    [Theory]
    [InlineData("", "Empty message")]
    [InlineData("   ", "Empty message")]
    [InlineData("/release", "/release needs a tag")]
    [InlineData("/release banana", "'banana' is not a release tag")]
    [InlineData("/release v0.2", "'v0.2' is not a release tag")]
    [InlineData("/release v0.2.0 nowhere", "Unknown environment 'nowhere'. Known: production, staging.")]
    [InlineData("/release v0.2.0 production extra", "Too many words after /release")]
    [InlineData("/release v0.2.0 --force", "/release does not know --force")]
    [InlineData("/release v١.٢.٣", "is not a release tag")]
    [InlineData("/release v0.2.0\u200b", "is not a release tag")]
    [InlineData("/deploy v1", "Unknown command /deploy")]
    [InlineData("release v0.2.0", "Commands start with '/'")]
    [InlineData("/approve", "/approve needs one release id")]
    [InlineData("/approve abc", "'abc' is not a release id")]
    [InlineData("/resume 0", "'0' is not a release id")]
    [InlineData("/lock", "/lock needs a reason")]
    [InlineData("/lock freeze --for soon", "'soon' is not a duration")]
    [InlineData("/rollback --to", "--to needs a tag")]
    [InlineData("/rollback --to latest", "'latest' is not a release tag")]
    [InlineData("/whoami now", "/whoami takes no arguments")]
    public void A_bad_command_is_refused_with_a_message_saying_what_would_be_right(string text, string expected)
    {
        var result = Parser.Parse(text);

        Assert.Null(result.Command);
        Assert.Contains(expected, result.Error);
    }

    [Fact]
    public void A_five_thousand_character_message_is_refused_without_echoing_it()
    {
        var result = Parser.Parse("/release " + new string('x', 5000));

        Assert.Null(result.Command);
        Assert.Contains("5009 characters long", result.Error);
        Assert.True(result.Error!.Length < 200);
    }

    [Fact]
    public void A_command_addressed_to_another_bot_is_ignored()
    {
        var result = Parser.Parse("/release@OtherBot v1.0.0");

        Assert.True(result.IsIgnored);
    }

    [Fact]
    public void Unicode_text_in_a_reason_is_kept()
    {
        var result = Parser.Parse("/lock 🔥 пожар в базе");

        Assert.Equal(new LockCommand("production", "🔥 пожар в базе", null), result.Command);
    }

    [Theory]
    [InlineData("30m", 0, 30, 0)]
    [InlineData("2h", 2, 0, 0)]
    [InlineData("1h30m", 1, 30, 0)]
    [InlineData("45s", 0, 0, 45)]
    public void Durations_read_as_operators_write_them(string text, int hours, int minutes, int seconds)
    {
        Assert.True(CommandParser.TryParseDuration(text, out var duration));
        Assert.Equal(new TimeSpan(hours, minutes, seconds), duration);
    }
}
