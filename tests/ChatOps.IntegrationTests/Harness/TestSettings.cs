namespace ChatOps.IntegrationTests.Harness;

/// <summary>The settings every test host starts from: sandbox mode on a free loopback port, short waits, quiet logs.</summary>
public static class TestSettings
{
    public static Dictionary<string, string?> Sandbox() => new()
    {
        ["ChatOps:Mode"] = "sandbox",
        ["Urls"] = "http://127.0.0.1:0",
        ["Console:Enabled"] = "false",
        ["ChatOps:VerifyInterval"] = "00:00:00.200",
        ["ChatOps:VerifyAttempts"] = "3",
        ["Sandbox:DelayMilliseconds"] = "20",
        ["OutsideCalls:RetryBaseDelay"] = "00:00:00.050",
        ["Logging:Level"] = "Warning",
    };
}
