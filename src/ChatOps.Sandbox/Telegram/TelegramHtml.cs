using System.Globalization;
using System.Text;

namespace ChatOps.Sandbox;

// Telegram's HTML parse mode, strictly: only its tags, properly nested, and every < and & that is not markup
// escaped. Stricter than Telegram about a bare '&', so an escaping slip in the bot fails here first.
internal static class TelegramHtml
{
    private static readonly HashSet<string> Tags = new(StringComparer.Ordinal)
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji",
    };

    private static readonly Dictionary<string, char> Entities = new(StringComparer.Ordinal)
    {
        ["lt"] = '<',
        ["gt"] = '>',
        ["amp"] = '&',
        ["quot"] = '"',
    };

    // The text as a client shows it, or an error worded like Telegram's.
    public static (string? Plain, string? Error) Parse(string html)
    {
        var plain = new StringBuilder(html.Length);
        var open = new Stack<string>();
        for (var i = 0; i < html.Length; i++)
        {
            var c = html[i];
            if (c == '<')
            {
                var end = html.IndexOf('>', i);
                if (end < 0)
                    return (null, $"can't parse entities: Unclosed start tag at byte offset {i}");
                var tag = html[(i + 1)..end];
                var closing = tag.StartsWith('/');
                var name = (closing ? tag[1..] : tag).Split(' ', 2)[0];
                if (!Tags.Contains(name))
                    return (null, $"can't parse entities: Unsupported start tag \"{name}\" at byte offset {i}");
                if (!closing)
                    open.Push(name);
                else if (open.Count == 0 || open.Pop() != name)
                    return (null, $"can't parse entities: Unmatched end tag at byte offset {i}, expected \"</{(open.Count > 0 ? open.Peek() : "")}>\", found \"</{name}>\"");
                i = end;
            }
            else if (c == '&')
            {
                var end = html.IndexOf(';', i);
                var entity = end < 0 ? null : Decode(html[(i + 1)..end]);
                if (entity is null)
                    return (null, $"can't parse entities: Character entity expected at byte offset {i}");
                plain.Append(entity);
                i = end;
            }
            else
                plain.Append(c);
        }
        return open.Count > 0
            ? (null, $"can't parse entities: Can't find end tag corresponding to start tag \"{open.Peek()}\"")
            : (plain.ToString().Trim(), null);
    }

    private static string? Decode(string entity)
    {
        if (Entities.TryGetValue(entity, out var known))
            return known.ToString();
        if (entity.StartsWith("#x", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(entity[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            return Scalar(hex);
        if (entity.StartsWith('#') && int.TryParse(entity[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var dec))
            return Scalar(dec);
        return null;
    }

    private static string? Scalar(int value) =>
        value is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32(value) : null;
}
