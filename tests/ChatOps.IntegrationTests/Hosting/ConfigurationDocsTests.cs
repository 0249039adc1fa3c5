using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using ChatOps.Core.Settings;
using ChatOps.Host.Console;
using ChatOps.Host.Fly;
using ChatOps.Host.GitHub;
using ChatOps.Host.Hosting;
using ChatOps.Host.Http;
using ChatOps.Host.Incidents;
using ChatOps.Host.PrometheusQueries;
using ChatOps.Host.Slack;
using ChatOps.Host.Store;
using ChatOps.Host.Telegram;

namespace ChatOps.IntegrationTests.Hosting;

/// <summary>docs/configuration.md and the keys the options classes bind, compared both ways.</summary>
public sealed partial class ConfigurationDocsTests
{
    // Every options class the host binds, with its section.
    private static readonly (string Section, Type Options)[] Bound =
    [
        ("ChatOps", typeof(ChatOpsSettings)), ("ChatOps", typeof(StoreOptions)), ("ChatOps", typeof(RunnerOptions)),
        (GitHubOptions.Section, typeof(GitHubOptions)), (FlyOptions.Section, typeof(FlyOptions)),
        (TelegramOptions.Section, typeof(TelegramOptions)), (SlackOptions.Section, typeof(SlackOptions)),
        (ConsoleOptions.Section, typeof(ConsoleOptions)), (OutsideCallOptions.Section, typeof(OutsideCallOptions)),
        (ChatOps.Host.Metrics.MetricsOptions.Section, typeof(ChatOps.Host.Metrics.MetricsOptions)),
        (IncidentWebhookOptions.Section, typeof(IncidentWebhookOptions)),
        (PrometheusOptions.Section, typeof(PrometheusOptions)),
    ];

    // Set by the host from the resolved start-up mode after binding, whatever the settings say: not configuration.
    private static readonly string[] NotConfiguration = ["Telegram:Live", "Slack:Live"];

    [Fact]
    public void Every_key_the_options_classes_bind_is_documented()
    {
        var documented = DocumentedKeys(loose: true);

        var undocumented = BoundKeys().Where(key => !documented.Contains(key)).ToList();

        Assert.True(undocumented.Count == 0, "not in docs/configuration.md (or telegram.md, slack.md): " + string.Join(", ", undocumented));
    }

    [Fact]
    public void No_key_docs_configuration_md_names_is_unbound()
    {
        var bound = BoundKeys();
        var sections = Bound.Select(b => b.Section).ToHashSet(StringComparer.Ordinal);

        var unbound = DocumentedKeys(loose: false)
            .Where(key => sections.Contains(key.Split(':')[0]) && !key.Contains('*', StringComparison.Ordinal))
            .Where(key => !bound.Any(b => b == key || b.StartsWith(key + ":", StringComparison.Ordinal)))
            .ToList();

        Assert.True(unbound.Count == 0, "documented but bound by no options class: " + string.Join(", ", unbound));
    }

    private static HashSet<string> BoundKeys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (section, type) in Bound)
            Collect(section, type, keys);
        keys.ExceptWith(NotConfiguration);
        return keys;
    }

    // The binder's view: public settable properties; a simple value or a list of them is a key, a dictionary's entries are
    // named by the placeholder the docs use, a list of objects is written Name[].
    private static void Collect(string prefix, Type type, HashSet<string> keys)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
        {
            var key = $"{prefix}:{property.Name}";
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsSimple(t))
                keys.Add(key);
            else if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>))
                Collect($"{key}:<env>", t.GetGenericArguments()[1], keys);
            else if (typeof(IEnumerable).IsAssignableFrom(t) && t.IsGenericType)
            {
                var item = t.GetGenericArguments()[0];
                if (IsSimple(item))
                    keys.Add(key);
                else
                    Collect($"{key}[]", item, keys);
            }
            else
                Collect(key, t, keys);
        }
    }

    private static bool IsSimple(Type t) => t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(TimeSpan) || t == typeof(decimal) || t == typeof(Uri);

    /// <summary>
    /// The keys the reference names. Strict: the first column of its tables, where `A:B:C`, `D` names A:B:C and A:B:D
    /// (`Telegram:*` points to telegram.md and names no key).
    /// Loose adds a row's sub-keys named in its other columns (`Mode`, `Directory` under `…:Backup`) and every key
    /// telegram.md and slack.md name.
    /// </summary>
    private static HashSet<string> DocumentedKeys(bool loose)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in File.ReadAllLines(Path.Combine(Root(), "docs", "configuration.md")).Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = row.Split('|', StringSplitOptions.TrimEntries).Skip(1).ToArray();
            var named = new List<string>();
            foreach (var token in Ticked().Matches(cells[0]).Select(m => m.Groups[1].Value))
            {
                if (token.Contains(':', StringComparison.Ordinal))
                    named.Add(token);
                else if (named.Count > 0 && Identifier().IsMatch(token))
                    named.Add(named[^1][..named[^1].LastIndexOf(':')] + ":" + token);
            }
            keys.UnionWith(named);
            if (!loose)
                continue;
            foreach (var child in cells.Skip(1).SelectMany(c => Ticked().Matches(c)).Select(m => m.Groups[1].Value).Where(t => Identifier().IsMatch(t)))
                keys.UnionWith(named.Select(key => $"{key}:{child}"));
        }
        if (loose)
        {
            foreach (var doc in new[] { "telegram.md", "slack.md" })
                keys.UnionWith(Key().Matches(File.ReadAllText(Path.Combine(Root(), "docs", doc))).Select(m => m.Value));
        }
        return keys;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Ticked();

    [GeneratedRegex("^[A-Z][A-Za-z]+$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\b(Telegram|Slack):[A-Z][A-Za-z]+")]
    private static partial Regex Key();

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ChatOps.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ChatOps.sln not found above the test binaries");
    }
}
