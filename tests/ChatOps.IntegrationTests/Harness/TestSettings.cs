namespace ChatOps.IntegrationTests.Harness;

/// <summary>The settings every test host starts from: sandbox mode on a free loopback port, short waits, quiet logs.</summary>
public static class TestSettings
{
    /// <summary>The common settings with each layer on top in turn: a host's own settings, then a test's.</summary>
    public static Dictionary<string, string?> Sandbox(params IDictionary<string, string?>?[] layers)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ChatOps:Mode"] = "sandbox",
            ["Urls"] = "http://127.0.0.1:0",
            ["Console:Enabled"] = "false",
            ["ChatOps:VerifyInterval"] = "00:00:00.200",
            ["ChatOps:VerifyAttempts"] = "3",
            ["Sandbox:DelayMilliseconds"] = "20",
            ["OutsideCalls:RetryBaseDelay"] = "00:00:00.050",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Metrics:Port"] = "0",
            // The example world's bakes last real minutes; the bake's own tests turn them back on.
            ["Sandbox:ExampleBakes"] = "false",
        };
        foreach (var layer in layers)
        {
            foreach (var (key, value) in layer ?? new Dictionary<string, string?>())
                settings[key] = value;
        }
        return settings;
    }
}
