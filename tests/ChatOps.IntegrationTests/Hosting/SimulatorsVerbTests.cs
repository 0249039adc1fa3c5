using System.Diagnostics;

namespace ChatOps.IntegrationTests.Hosting;

/// <summary>`ChatOps.Host simulators`, which scripts/container-smoke.sh aims a live-mode bot at.</summary>
public sealed class SimulatorsVerbTests
{
    [Fact]
    public async Task The_verb_prints_the_settings_that_aim_a_bot_at_the_simulators_serves_them_and_stops_on_SIGTERM()
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ChatOps.Host.dll"), "simulators"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["GitHub__Repository"] = "smoke/target-app";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            var lines = new List<string>();
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line && line != "Ready")
                lines.Add(line);
            var settings = lines.Skip(1).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            Assert.StartsWith("Simulators at http://127.0.0.1:", lines[0]);
            Assert.Equal("smoke/target-app", settings["GitHub__Repository"]);
            Assert.StartsWith("http://127.0.0.1:", settings["Fly__ApiBaseUrl"]);

            using var http = new HttpClient();
            using var health = await http.GetAsync(settings["ChatOps__Environments__production__Services__0__HealthUrl"], timeout.Token);
            Assert.True(health.IsSuccessStatusCode, $"{health.StatusCode}");

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await stderr}");
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }
}
