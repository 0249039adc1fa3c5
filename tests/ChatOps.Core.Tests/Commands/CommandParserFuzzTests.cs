using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using CsCheck;

namespace ChatOps.Core.Tests.Commands;

/// <summary>Whatever people type, the parser answers with a command, a refusal or "not for us"; it never throws.</summary>
public sealed class CommandParserFuzzTests
{
    private static readonly CommandParser Parser = new(@"^v\d+\.\d+\.\d+$", "ChatOpsBot", "production", ["production", "staging"]);

    private static readonly string[] Commands =
        ["release", "rollback", "approve", "reject", "resume", "cancel", "status", "history", "lock", "unlock", "plan", "whoami", "help", "start"];

    private static readonly string[] Words =
        ["v0.2.0", "production", "staging", "--dry-run", "--to", "--with-db", "--for", "--force", "#12", "12", "0", "-1",
         "99999999999d", "99999999999999999999999h", "1d2h3m4s", "30d1s", "@ChatOpsBot", "--", "/", "🔥", "\u200b", "\0", "\u202e"];

    // Random words from the grammar mixed with random Unicode, so the generator reaches deep into every command.
    private static readonly Gen<string> Word = Gen.OneOf(Gen.OneOf(Words), Gen.String, Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Long.Select(n => $"{n}d"), Gen.Int.Select(n => $"{n}h{n}m"));

    private static readonly Gen<string> CommandLine =
        Gen.Select(Gen.OneOf(Commands), Gen.OneOf("", "@ChatOpsBot", "@other"), Word.Array[0, 6],
            (name, at, args) => $"/{name}{at} {string.Join(' ', args)}");

    [Fact]
    public void Every_command_with_random_arguments_is_parsed_or_refused_without_throwing()
    {
        CommandLine.Sample(text => AnswersWithoutThrowing(text), iter: 20_000);
    }

    [Fact]
    public void Random_unicode_control_characters_and_very_long_input_never_throw()
    {
        Gen.OneOf(Gen.String, Gen.String[0, 3000], Gen.Char.Array[0, 2000].Select(c => "/" + new string(c)), Gen.Char['\0', '\u001f'].Array[0, 50].Select(c => new string(c)))
            .Sample(text => AnswersWithoutThrowing(text), iter: 20_000);
    }

    [Theory]
    [InlineData("/lock production x --for 99999999999d")]
    [InlineData("/lock production x --for 2147483648h")]
    [InlineData("/lock production x --for 10675199d")]
    [InlineData("/lock production x --for 30d1s")]
    public void A_lock_longer_than_the_limit_is_refused_with_the_limit_and_does_not_overflow(string text)
    {
        var result = Parser.Parse(text);

        Assert.Null(result.Command);
        Assert.Contains("at most 30 days", result.Error);
    }

    [Fact]
    public void A_lock_of_exactly_thirty_days_is_accepted()
    {
        Assert.Equal(new LockCommand("production", "x", TimeSpan.FromDays(30)), Parser.Parse("/lock production x --for 30d").Command);
    }

    private static bool AnswersWithoutThrowing(string text)
    {
        var result = Parser.Parse(text);
        // Exactly one outcome, and a refusal always says something.
        return result.IsIgnored ? result.Command is null : (result.Command is null) != (result.Error is null) && result.Error is not { Length: 0 };
    }
}
