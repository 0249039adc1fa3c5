using System.Diagnostics;

namespace ChatOps.IntegrationTests.Releases;

/// <summary>What a newcomer sees: the host process started with no secrets, driven by a script on stdin.</summary>
public sealed class NewcomerRunTests
{
    [Fact]
    public async Task A_scripted_console_session_releases_and_rolls_back_then_exits_zero()
    {
        var host = Path.Combine(AppContext.BaseDirectory, "ChatOps.Host.dll");
        var info = new ProcessStartInfo("dotnet", [host, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        // No secrets: the host must choose the sandbox and the console chat by itself.
        foreach (var key in new[] { "TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN", "FLY_API_TOKEN", "GITHUB_TOKEN", "DATABASE_URL" })
            info.Environment.Remove(key);
        info.Environment["Urls"] = "http://127.0.0.1:0";
        info.Environment["ChatOps__VerifyInterval"] = "00:00:00.200";
        // This session releases straight to production, as the README's first run does; the promotion tests cover staging first.
        info.Environment["ChatOps__Environments__production__PromoteFrom"] = "";
        // The example world bakes production for 10 real minutes; the bake is tried in tests/ChatOps.*Tests/Bake.
        info.Environment["Sandbox__ExampleBakes"] = "false";

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        foreach (var line in new[] { "/release v0.2.0", "/as bob", "/approve 1", "/status", "/as alice", "/rollback", "1", "/quit" })
            await process.StandardInput.WriteLineAsync(line);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);

        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{output}\n{await stderr}");
        Assert.Contains("✅ Released v0.2.0 to production", output);
        Assert.Contains("api: v0.2.0 on 2 machines", output);
        Assert.Contains("↩️ Rolled back production to v0.1.0", output);
    }
}
