using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOps.Core.Ports;
using ChatOps.Core.Settings;
using Flurl.Http;

namespace ChatOps.Host.Probes;

// Runbook §6: configured requests in order; a value one answer captures fills the placeholders of the next.
internal sealed class SmokeProbe(ProbeHttp http)
{
    public async Task<SmokeResult> SmokeAsync(
        SmokeTestSettings test, string apiKey, IReadOnlyDictionary<string, string> captured, CancellationToken cancellationToken)
    {
        List<string> missing = [];
        var url = Fill(test.Url, captured, missing, Uri.EscapeDataString);
        // Inside a JSON body a captured value is written as JSON string content, so quotes in it cannot break the body.
        var body = Fill(test.Body, captured, missing, v => JsonEncodedText.Encode(v).ToString());
        if (missing.Count > 0)
        {
            var names = string.Join(", ", missing.Distinct().Select(m => $"{{{m}}}"));
            return new SmokeResult(false, $"{test.Name}: needs {names}, which no earlier smoke test captured", captured);
        }

        using var client = http.Open();
        var request = client.Request(url);
        if (apiKey.Length > 0)
        {
            request.WithHeader(ProbeHttp.ApiKeyHeader, apiKey);
        }

        var answer = await ProbeHttp.SendAsync(request, new HttpMethod(test.Method.ToUpperInvariant()), body, cancellationToken);
        if (answer.Status != test.ExpectStatus)
        {
            return new SmokeResult(false, $"{test.Name}: {answer.Where} expected {test.ExpectStatus}, got {answer.Detail}", captured);
        }

        var result = new Dictionary<string, string>(captured, StringComparer.Ordinal);
        if (test.Capture.Length > 0)
        {
            if (Property(answer.Json, test.Capture) is not { } value)
            {
                return new SmokeResult(false, $"{test.Name}: the answer has no {test.Capture}: {answer.Detail}", captured);
            }

            result[test.Capture] = value;
        }

        if (test.ExpectProperty.Length > 0)
        {
            var actual = Property(answer.Json, test.ExpectProperty);
            if (actual is null || (test.ExpectValues.Count > 0 && !test.ExpectValues.Contains(actual)))
            {
                var expected = test.ExpectValues.Count > 0 ? $"one of {string.Join(", ", test.ExpectValues)}" : "a value";
                return new SmokeResult(false, $"{test.Name}: {test.ExpectProperty} is {actual ?? "missing"}, expected {expected}: {answer.Detail}", result);
            }
        }

        var got = test.Capture.Length > 0 ? $", {test.Capture}={result[test.Capture]}" : "";
        return new SmokeResult(true, $"{test.Name}: {answer.Where} answered {answer.Status}{got}", result);
    }

    private static string Fill(string template, IReadOnlyDictionary<string, string> values, List<string> missing, Func<string, string> encode) =>
        Placeholder.Replace(template, m =>
        {
            if (values.TryGetValue(m.Groups[1].Value, out var value))
            {
                return encode(value);
            }

            missing.Add(m.Groups[1].Value);
            return m.Value;
        });

    // A top-level property as text: strings as they are, numbers and booleans as JSON writes them.
    private static string? Property(JsonObject? json, string name) => json?[name] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    // `{runId}`; JSON's own braces (`{"user_id": …}`) do not match because a name cannot start with a quote.
    private static readonly Regex Placeholder = new(@"\{([A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.Compiled);
}
