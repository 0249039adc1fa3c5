using ChatOps.Host.Hosting;
using Microsoft.Extensions.Configuration;
using Serilog;

namespace ChatOps.IntegrationTests.Hardening;

/// <summary>
/// A secret the bot learns while it runs (a GitHub App's installation token) is masked in the log like a configured
/// one. The console sink writes to Console.Error, which this test borrows: in the log collection, run alone.
/// </summary>
[Collection(LogCollection.Name)]
public sealed class RuntimeSecretMaskingTests
{
    [Fact]
    public void An_installation_token_learnt_after_start_is_masked_in_every_log_line()
    {
        var secrets = new LogSecrets();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["GitHub:Token"] = "configured-token-value" }).Build();
        var setup = new LoggerConfiguration();
        ChatOpsLogging.Configure(setup, configuration, secrets);
        using var logger = setup.CreateLogger();
        var captured = new StringWriter();
        var stderr = Console.Error;
        Console.SetError(captured);
        try
        {
            logger.Information("before {Token}", "ghs_learnt_while_running");
            secrets.Add("ghs_learnt_while_running");
            logger.Information("after {Token} and {Configured}", "ghs_learnt_while_running", "configured-token-value");
        }
        finally
        {
            Console.SetError(stderr);
        }

        var lines = captured.ToString();
        Assert.Contains("before ghs_learnt_while_running", lines);
        Assert.Contains("after *** and ***", lines);
    }
}
