using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ChatOps.Core.Commands;

namespace ChatOps.Host.Slack;

/// <summary>What Slack sends, turned into the one command grammar every platform shares.</summary>
public static class SlackCommandText
{
    /// <summary>
    /// <c>/release</c> + <c>v0.2.0</c> is <c>/release v0.2.0</c>. Any other command name is an umbrella whose text
    /// is the command (<c>/chatops status</c>): Slack keeps some names, <c>/status</c> among them, for itself.
    /// </summary>
    public static string FromSlashCommand(string command, string text)
    {
        var name = command.TrimStart('/');
        if (CommandHelp.Usage.ContainsKey(name.ToLowerInvariant()))
            return $"/{name} {text}".Trim();
        return FromWords(text);
    }

    /// <summary><c>&lt;@U0BOT&gt; release v0.2.0</c> is <c>/release v0.2.0</c>.</summary>
    public static string FromMention(string text) => FromWords(LeadingMentions.Replace(text, ""));

    /// <summary>A fixed-length key for the update log, whatever Slack's ids look like.</summary>
    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..32];

    private static string FromWords(string text)
    {
        text = text.Trim();
        return text.Length == 0 ? "/help" : text.StartsWith('/') ? text : "/" + text;
    }

    private static readonly Regex LeadingMentions = new(@"^\s*(<@[A-Z0-9]+(\|[^>]*)?>[\s,:]*)+", RegexOptions.Compiled);
}
