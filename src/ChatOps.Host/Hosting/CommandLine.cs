namespace ChatOps.Host.Hosting;

/// <summary>
/// What the host was asked to do: a verb in first place (none runs the bot), then options. Anything else stops the
/// host with one line: a mistyped or misplaced verb (<c>--config x.json doctor</c>) must not start a second live bot.
/// </summary>
public sealed record CommandLine(string? Verb, bool Help, bool Version, string[] Options)
{
    public const string Doctor = "doctor";
    public const string Simulators = "simulators";

    public static CommandLine Parse(string[] args)
    {
        var verb = args.Length > 0 && args[0] is Doctor or Simulators ? args[0] : null;
        var options = verb is null ? args : args[1..];
        var (help, version) = (false, false);
        for (var i = 0; i < options.Length; i++)
        {
            var arg = options[i];
            if (arg is "--help" or "-h" or "-?")
                help = true;
            else if (arg == "--version")
                version = true;
            else if (arg == "--config")
                i++; // its file; ChatOpsApp says so when it is missing
            else if (!IsKey(arg))
                throw new StartupRefusedException(Unknown(arg, verb));
            else if (!arg.Contains('=', StringComparison.Ordinal))
            {
                // --Key value: the value is the next argument.
                if (i + 1 >= options.Length || options[i + 1].StartsWith('-'))
                    throw new StartupRefusedException($"'{arg}' needs a value: {arg}=value. Nothing was started. --help lists the verbs and options.");
                i++;
            }
        }
        return new CommandLine(verb, help, version, options);
    }

    // --Key=value or --Key value, as the configuration's command-line source reads them; a bare word is no setting, and
    // a --Key with no value would make the source fail with a stack trace.
    private static bool IsKey(string arg) =>
        arg.Length > 2 && arg.StartsWith("--", StringComparison.Ordinal) && arg[2] != '=';

    private static string Unknown(string arg, string? verb) => arg is Doctor or Simulators
        ? $"'{arg}' is a verb and goes first: ChatOps.Host {arg} [options]. Nothing was started. --help lists the verbs and options."
        : $"Unknown argument '{arg}'{(verb is null ? "" : $" after {verb}")}: settings are --Key=value (--ChatOps:Mode=sandbox). Nothing was started. --help lists the verbs and options.";

    public static string HelpText => """
        ChatOps.Host — the release bot. With no verb it runs the bot: the sandbox (simulated GitHub and Fly, a console
        chat) when no token is set, live otherwise (ChatOps:Mode: auto | sandbox | live).

        Usage: dotnet ChatOps.Host.dll [verb] [options]

        Verbs (first, or none):
          doctor       the read-only checks of every configured outside system, one row each; exit 0 only when all pass
          simulators   only the loopback simulators of GitHub, Fly and the services, for a live bot to aim at
                       (scripts/container-smoke.sh); prints the settings that aim it, then Ready

        Options:
          --config FILE    one more JSON settings file, on top of appsettings.json
          --Key=value      any setting, e.g. --ChatOps:Mode=sandbox or --Urls=http://127.0.0.1:8081
          --help, -h       this text
          --version        the version

        Settings and where they are read from: docs/configuration.md.
        """;
}
