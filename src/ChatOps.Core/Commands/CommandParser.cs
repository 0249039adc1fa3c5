using System.Globalization;
using System.Text.RegularExpressions;
using ChatOps.Core.Domain;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Commands;

/// <summary>Turns chat text into a <see cref="ChatCommand"/> or one refusal that says what would be right.</summary>
public sealed class CommandParser
{
    public const int MaxLength = 1000;

    private readonly Regex _tagPattern;
    private readonly string _tagPatternText;
    private readonly string _botName;
    private readonly string _defaultEnvironment;
    private readonly IReadOnlySet<string> _environments;

    /// <summary>The parser of the configured bot: its tag pattern, its name, its environments.</summary>
    public static CommandParser For(ChatOpsSettings settings) =>
        new(settings.TagPattern, settings.BotName, settings.DefaultEnvironment, settings.Environments.Keys);

    public CommandParser(string tagPattern, string botName, string defaultEnvironment, IEnumerable<string> environments)
    {
        // ECMAScript semantics keep \d to ASCII digits, so "v١.٢.٣" is not a tag.
        _tagPattern = new Regex(tagPattern, RegexOptions.ECMAScript | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        _tagPatternText = tagPattern;
        _botName = botName.TrimStart('@');
        _defaultEnvironment = defaultEnvironment;
        _environments = new HashSet<string>(environments, StringComparer.OrdinalIgnoreCase);
    }

    public ParseResult Parse(string? text)
    {
        text = text?.Trim() ?? "";
        if (text.Length == 0)
            return ParseResult.Fail("Empty message. Type a command such as /release v0.2.0; /help lists them all.");
        if (text.Length > MaxLength)
            return ParseResult.Fail($"That message is {text.Length} characters long; a command has at most {MaxLength}. /help lists the commands.");
        if (text[0] != '/')
            return ParseResult.Fail("Commands start with '/', e.g. /release v0.2.0. /help lists them all.");

        // The options whose value may hold spaces: taken out, quotes and all, before the words are split.
        var skip = TakeQuoted(ref text, "--skip-promotion");
        var thaw = TakeQuoted(ref text, "--override-freeze");
        // Only /incident takes its title in quotes; elsewhere quotes stay part of the words (a /lock reason).
        var title = text.StartsWith("/incident", StringComparison.OrdinalIgnoreCase) ? TakeTitle(ref text) : null;
        var skipPromotion = skip.Value;
        var words = Tokenize(text);
        var head = words[0][1..];
        var at = head.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!string.Equals(head[(at + 1)..], _botName, StringComparison.OrdinalIgnoreCase))
                return ParseResult.NotForUs;
            head = head[..at];
        }

        var name = head.ToLowerInvariant();
        var args = new Arguments(words.Skip(1).ToList());
        var result = name switch
        {
            "release" => ParseRelease(args, skipPromotion, thaw.Value),
            "promote" => ParsePromote(args, skipPromotion, thaw.Value),
            "rollback" => ParseRollback(args),
            "approve" => ParseId(args, "approve", id => new ApproveCommand(id) { OverrideFreeze = thaw.Value }),
            "reject" => ParseId(args, "reject", id => new RejectCommand(id)),
            "resume" => ParseId(args, "resume", id => new ResumeCommand(id)),
            "bake" => ParseBake(text),
            "cancel" => ParseCancel(args),
            "status" => ParseStatus(args),
            "history" => ParseHistory(args),
            "lock" => ParseLock(args),
            "incident" => ParseIncident(args, title),
            "unlock" => ParseUnlock(args),
            "plan" => NoArguments(args, "plan", new PlanCommand()),
            "whoami" => NoArguments(args, "whoami", new WhoAmICommand()),
            "doctor" => NoArguments(args, "doctor", new DoctorCommand()),
            "help" or "start" => ParseHelp(args),
            _ => ParseResult.Fail($"Unknown command /{Shorten(head)}. /help lists the commands."),
        };
        if (skip.Success && name is not ("release" or "promote"))
            return ParseResult.Fail($"--skip-promotion only goes with /release and /promote. Usage: {CommandHelp.Usage["promote"]}");
        if (skip.Success && skipPromotion!.Trim().Length == 0 && result.Command is not null)
            return ParseResult.Fail("--skip-promotion needs a reason in quotes, e.g. --skip-promotion \"hotfix for the payments outage\".");
        if (thaw.Success && name is not ("release" or "promote" or "approve"))
            return ParseResult.Fail($"--override-freeze only goes with /release, /promote and /approve. Usage: {CommandHelp.Usage["release"]}");
        if (thaw.Success && thaw.Value!.Trim().Length == 0 && result.Command is not null)
            return ParseResult.Fail("--override-freeze needs a reason in quotes, e.g. --override-freeze \"fix for the checkout outage\".");
        return result;
    }

    // The title of /incident "…": the first text in quotes after the command, taken out whole.
    private static string? TakeTitle(ref string text)
    {
        var match = Regex.Match(text, @"\s(?:""([^""]*)""|“([^”]*)”)", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        if (!match.Success)
            return null;
        text = text.Remove(match.Index, match.Length);
        return (match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value).Trim();
    }

    // The reason may hold spaces: quoted ("…" or “…”), or the rest of the line.
    private static readonly Regex BakePattern = new(@"^/bake(?:@\S+)?\s+#?(\d+)\s+--(skip|faulty)(?:\s+(?:""([^""]*)""|“([^”]*)”|([^\s""“].*?)))?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    private static ParseResult ParseBake(string text)
    {
        var usage = CommandHelp.Usage["bake"];
        var match = BakePattern.Match(text.Trim());
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            return ParseResult.Fail($"/bake needs a release id and --skip or --faulty with a reason. Usage: {usage}, e.g. /bake 12 --skip \"hotfix, watched by hand\"");
        var reason = (match.Groups[3].Success ? match.Groups[3].Value : match.Groups[4].Success ? match.Groups[4].Value : match.Groups[5].Value).Trim();
        if (reason.Length == 0)
            return ParseResult.Fail($"/bake --{match.Groups[2].Value.ToLowerInvariant()} needs a reason in quotes, e.g. /bake {id} --{match.Groups[2].Value.ToLowerInvariant()} \"the error rate is up on the dashboard\".");
        return ParseResult.Ok(new BakeCommand(id, reason, string.Equals(match.Groups[2].Value, "faulty", StringComparison.OrdinalIgnoreCase)));
    }

    private ParseResult ParseIncident(Arguments args, string? title)
    {
        var usage = CommandHelp.Usage["incident"];
        if (args.UnknownFlag() is { } flag)
            return ParseResult.Fail($"/incident does not know {Shorten(flag)}. Usage: {usage}");
        var words = args.Positional.ToList();
        if (title is null && words.Count > 0 && string.Equals(words[0], "resolved", StringComparison.OrdinalIgnoreCase))
        {
            if (words.Count > 2)
                return ParseResult.Fail($"Too many words after /incident resolved. Usage: {usage}");
            var env = words.Count == 2 ? words[1] : _defaultEnvironment;
            return CheckEnvironment(env) ?? ParseResult.Ok(new IncidentCommand(Canonical(env), IncidentAction.Resolve));
        }
        var environment = _defaultEnvironment;
        if (words.Count > 0 && _environments.Contains(words[0]))
        {
            environment = words[0];
            words.RemoveAt(0);
        }
        else if (title is not null && words.Count == 1)
        {
            if (CheckEnvironment(words[0]) is { } unknown)
                return unknown;
        }
        if (title is not null && words.Count > 0)
            return ParseResult.Fail($"Too many words after /incident \"{Shorten(title)}\". Usage: {usage}");
        title ??= words.Count > 0 ? string.Join(' ', words) : null;
        if (title is { Length: 0 })
            return ParseResult.Fail($"/incident needs a title, so people know what is wrong. Usage: {usage}, e.g. /incident \"checkout returns 500\"");
        if (title is { Length: > 200 })
            return ParseResult.Fail($"An incident's title is at most 200 characters; this one is {title.Length}.");
        return ParseResult.Ok(new IncidentCommand(Canonical(environment), title is null ? IncidentAction.Show : IncidentAction.Open, title));
    }

    /// <summary>Takes <paramref name="option"/> and its value (in straight or curly quotes, or one word) out of the text.</summary>
    private static (bool Success, string? Value) TakeQuoted(ref string text, string option)
    {
        var match = Regex.Match(text, @"\s" + Regex.Escape(option) + @"(?:\s+(?:""([^""]*)""|“([^”]*)”|([^\s""“-][^\s]*)))?",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        if (!match.Success)
            return (false, null);
        text = text.Remove(match.Index, match.Length);
        return (true, match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Success ? match.Groups[2].Value : match.Groups[3].Value);
    }

    private ParseResult ParsePromote(Arguments args, string? skipPromotion, string? overrideFreeze)
    {
        var usage = CommandHelp.Usage["promote"];
        if (args.UnknownFlag() is { } flag)
            return ParseResult.Fail($"/promote does not know {Shorten(flag)}. Usage: {usage}");
        if (args.Positional.Count == 0)
            return ParseResult.Fail($"/promote needs a tag. Usage: {usage}, e.g. /promote v0.2.0");
        if (!ReleaseTag.TryParse(args.Positional[0], _tagPattern, out var tag))
            return ParseResult.Fail($"'{Shorten(args.Positional[0])}' is not a release tag; tags match {_tagPatternText}, e.g. v0.2.0.");
        if (args.Positional.Count > 3)
            return ParseResult.Fail($"Too many words after /promote. Usage: {usage}");
        var envs = args.Positional.Skip(1).ToList();
        foreach (var env in envs)
        {
            if (CheckEnvironment(env) is { } unknown)
                return unknown;
        }
        if (envs.Count == 2 && string.Equals(envs[0], envs[1], StringComparison.OrdinalIgnoreCase))
            return ParseResult.Fail($"/promote goes from one environment to another; {envs[0]} twice is not a promotion. Usage: {usage}");
        return ParseResult.Ok(new PromoteCommand(tag!, envs.Count > 0 ? Canonical(envs[0]) : null, envs.Count > 1 ? Canonical(envs[1]) : null, skipPromotion) { OverrideFreeze = overrideFreeze });
    }

    private ParseResult ParseHistory(Arguments args)
    {
        var usage = CommandHelp.Usage["history"];
        var stats = args.Flag("--stats");
        if (args.UnknownFlag() is { } flag)
            return ParseResult.Fail($"/history does not know {Shorten(flag)}. Usage: {usage}");
        var words = args.Positional.ToList();
        var period = TimeSpan.FromDays(30);
        if (stats && words.Count > 0 && Regex.Match(words[^1], @"^(\d+)d$", RegexOptions.ECMAScript, TimeSpan.FromMilliseconds(50)) is { Success: true } days)
        {
            var count = int.Parse(days.Groups[1].Value, CultureInfo.InvariantCulture);
            if (count is < 1 or > 365)
                return ParseResult.Fail($"The period is 1d to 365d, not {Shorten(words[^1])}. Usage: {usage}");
            period = TimeSpan.FromDays(count);
            words.RemoveAt(words.Count - 1);
        }
        if (words.Count > 1)
            return ParseResult.Fail($"Too many words after /history. Usage: {usage}{(stats ? "; the period is a number of days such as 30d" : "")}");
        var env = words.Count == 1 ? words[0] : _defaultEnvironment;
        return CheckEnvironment(env) ?? ParseResult.Ok(new HistoryCommand(Canonical(env)) { Stats = stats, Period = period });
    }

    private ParseResult ParseRelease(Arguments args, string? skipPromotion, string? overrideFreeze)
    {
        var usage = CommandHelp.Usage["release"];
        var dryRun = args.Flag("--dry-run");
        var hotfix = args.Flag("--hotfix");
        if (args.UnknownFlag() is { } flag)
            return ParseResult.Fail($"/release does not know {Shorten(flag)}. Usage: {usage}");
        if (args.Positional.Count == 0)
            return ParseResult.Fail($"/release needs a tag. Usage: {usage}, e.g. /release v0.2.0");
        if (!ReleaseTag.TryParse(args.Positional[0], _tagPattern, out var tag))
            return ParseResult.Fail($"'{Shorten(args.Positional[0])}' is not a release tag; tags match {_tagPatternText}, e.g. v0.2.0.");
        if (args.Positional.Count > 2)
            return ParseResult.Fail($"Too many words after /release. Usage: {usage}");
        var env = args.Positional.Count == 2 ? args.Positional[1] : _defaultEnvironment;
        return CheckEnvironment(env) ?? ParseResult.Ok(new ReleaseCommand(tag!, Canonical(env), dryRun) { SkipPromotion = skipPromotion, OverrideFreeze = overrideFreeze, Hotfix = hotfix });
    }

    private ParseResult ParseRollback(Arguments args)
    {
        var usage = CommandHelp.Usage["rollback"];
        var withDb = args.Flag("--with-db");
        var check = args.Flag("--check");
        var to = args.Option("--to");
        if (args.UnknownFlag() is { } flag)
            return ParseResult.Fail($"/rollback does not know {Shorten(flag)}. Usage: {usage}");
        if (to is { Length: 0 })
            return ParseResult.Fail($"--to needs a tag. Usage: {usage}");
        ReleaseTag? tag = null;
        if (to is not null && !ReleaseTag.TryParse(to, _tagPattern, out tag))
            return ParseResult.Fail($"'{Shorten(to)}' is not a release tag; tags match {_tagPatternText}.");
        if (args.Positional.Count > 1)
            return ParseResult.Fail($"Too many words after /rollback. Usage: {usage}");
        var env = args.Positional.Count == 1 ? args.Positional[0] : _defaultEnvironment;
        return CheckEnvironment(env) ?? ParseResult.Ok(new RollbackCommand(Canonical(env), tag, withDb) { Check = check });
    }

    private static ParseResult ParseHelp(Arguments args)
    {
        if (args.Count == 0)
            return ParseResult.Ok(new HelpCommand());
        if (args.Count > 1)
            return ParseResult.Fail($"/help takes one command at most. Usage: {CommandHelp.Usage["help"]}, e.g. /help rollback");
        var topic = args.Positional.FirstOrDefault()?.TrimStart('/') ?? "";
        return CommandHelp.IsCommand(topic)
            ? ParseResult.Ok(new HelpCommand(topic.ToLowerInvariant()))
            : ParseResult.Fail(CommandHelp.Unknown(Shorten(topic.Length > 0 ? topic : args.UnknownFlag() ?? "")));
    }

    private ParseResult ParseCancel(Arguments args)
    {
        if (args.Positional.Count == 0 && args.UnknownFlag() is null)
            return ParseResult.Ok(new CancelCommand(null));
        return ParseId(args, "cancel", id => new CancelCommand(id));
    }

    private ParseResult ParseStatus(Arguments args)
    {
        if (args.Positional.Count == 1 && TryParseId(args.Positional[0], out var id))
            return ParseResult.Ok(new StatusCommand(_defaultEnvironment, id));
        return Environment(args, "status", env => new StatusCommand(env, null));
    }

    private ParseResult ParseLock(Arguments args)
    {
        var usage = CommandHelp.Usage["lock"];
        var forText = args.Option("--for");
        if (args.UnknownFlag() is { } flag)
            return ParseResult.Fail($"/lock does not know {Shorten(flag)}. Usage: {usage}");
        TimeSpan? duration = null;
        if (forText is not null)
        {
            if (!TryParseDuration(forText, out var parsed))
                return ParseResult.Fail($"'{Shorten(forText)}' is not a duration of at most {MaxLockDuration.TotalDays:0} days; use e.g. --for 30m, --for 2h or --for 1d.");
            duration = parsed;
        }
        var words = args.Positional.ToList();
        var env = _defaultEnvironment;
        if (words.Count > 0 && _environments.Contains(words[0]))
        {
            env = words[0];
            words.RemoveAt(0);
        }
        if (words.Count == 0)
            return ParseResult.Fail($"/lock needs a reason, so others know why. Usage: {usage}, e.g. /lock incident on payments --for 2h");
        return ParseResult.Ok(new LockCommand(Canonical(env), string.Join(' ', words), duration));
    }

    private ParseResult ParseUnlock(Arguments args)
    {
        var force = args.Flag("--force");
        if (args.UnknownFlag() is { } flag)
            return ParseResult.Fail($"/unlock does not know {Shorten(flag)}. Usage: {CommandHelp.Usage["unlock"]}");
        return Environment(args, "unlock", env => new UnlockCommand(env, force));
    }

    private ParseResult Environment(Arguments args, string command, Func<string, ChatCommand> make)
    {
        if (args.UnknownFlag() is { } flag)
            return ParseResult.Fail($"/{command} does not know {Shorten(flag)}. Usage: {CommandHelp.Usage[command]}");
        if (args.Positional.Count > 1)
            return ParseResult.Fail($"Too many words after /{command}. Usage: {CommandHelp.Usage[command]}");
        var env = args.Positional.Count == 1 ? args.Positional[0] : _defaultEnvironment;
        return CheckEnvironment(env) ?? ParseResult.Ok(make(Canonical(env)));
    }

    private static ParseResult ParseId(Arguments args, string command, Func<long, ChatCommand> make)
    {
        var usage = CommandHelp.Usage[command];
        if (args.UnknownFlag() is { } flag)
            return ParseResult.Fail($"/{command} does not know {Shorten(flag)}. Usage: {usage}");
        if (args.Positional.Count != 1)
            return ParseResult.Fail($"/{command} needs one release id. Usage: {usage}, e.g. /{command} 12");
        return TryParseId(args.Positional[0], out var id)
            ? ParseResult.Ok(make(id))
            : ParseResult.Fail($"'{Shorten(args.Positional[0])}' is not a release id; ids are numbers like 12 or #12.");
    }

    private static ParseResult NoArguments(Arguments args, string command, ChatCommand command1) =>
        args.Count == 0 ? ParseResult.Ok(command1) : ParseResult.Fail($"/{command} takes no arguments. Usage: {CommandHelp.Usage[command]}");

    private ParseResult? CheckEnvironment(string env) =>
        _environments.Contains(env)
            ? null
            : ParseResult.Fail($"Unknown environment '{Shorten(env)}'. Known: {string.Join(", ", _environments.Order())}.");

    private string Canonical(string env) => _environments.First(e => string.Equals(e, env, StringComparison.OrdinalIgnoreCase));

    private static bool TryParseId(string text, out long id) =>
        long.TryParse(text.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    public static readonly TimeSpan MaxLockDuration = TimeSpan.FromDays(30);

    /// <summary>
    /// False for anything that is not a duration between a second and <see cref="MaxLockDuration"/>. Each part is
    /// checked against the limit before it is added, so "99999999999d" is refused instead of overflowing.
    /// </summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text.Length is 0 or > 40)
            return false;
        var match = Regex.Match(text, @"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$", RegexOptions.ECMAScript, TimeSpan.FromMilliseconds(50));
        if (!match.Success)
            return false;
        var seconds = 0L;
        var limit = (long)MaxLockDuration.TotalSeconds;
        foreach (var (group, unit) in new[] { (1, 86_400L), (2, 3_600L), (3, 60L), (4, 1L) })
        {
            if (!match.Groups[group].Success)
                continue;
            if (!long.TryParse(match.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var part) || part > limit / unit)
                return false;
            seconds += part * unit;
            if (seconds > limit)
                return false;
        }
        duration = TimeSpan.FromSeconds(seconds);
        return duration > TimeSpan.Zero;
    }

    private static List<string> Tokenize(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private sealed class Arguments(List<string> words)
    {
        public int Count => words.Count;

        public IReadOnlyList<string> Positional => words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();

        public bool Flag(string name) => words.RemoveAll(w => string.Equals(w, name, StringComparison.OrdinalIgnoreCase)) > 0;

        public string? Option(string name)
        {
            var i = words.FindIndex(w => string.Equals(w, name, StringComparison.OrdinalIgnoreCase));
            if (i < 0)
                return null;
            var value = i + 1 < words.Count && !words[i + 1].StartsWith("--", StringComparison.Ordinal) ? words[i + 1] : "";
            words.RemoveRange(i, value.Length > 0 ? 2 : 1);
            return value;
        }

        public string? UnknownFlag() => words.FirstOrDefault(w => w.StartsWith("--", StringComparison.Ordinal));
    }
}
