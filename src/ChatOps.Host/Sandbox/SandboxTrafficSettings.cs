using System.Globalization;
using ChatOps.Core.Settings;
using ChatOps.Sandbox;

namespace ChatOps.Host.Sandbox;

/// <summary>
/// <c>Sandbox:Traffic</c>: the simulated load on the services, so the console shows a bake pass, fail and stay open.
/// <c>RequestsPerSecond</c> per machine; <c>BadTags:&lt;tag&gt;</c> with <c>ErrorShare</c> (of 5xx) and <c>Slowdown</c>
/// (how many times slower); <c>QuietEnvironments</c>, whose apps get <c>QuietRequestsPerSecond</c> (default none).
/// </summary>
public static class SandboxTrafficSettings
{
    public static void Apply(IConfiguration configuration, ChatOpsSettings settings, SandboxTraffic traffic)
    {
        var section = configuration.GetSection("Sandbox:Traffic");
        if (Number(section["RequestsPerSecond"]) is { } rate)
            traffic.RequestsPerSecond = rate;
        foreach (var tag in section.GetSection("BadTags").GetChildren())
            traffic.MakeBad(tag.Key, Number(tag["ErrorShare"]) ?? 0.08, Number(tag["Slowdown"]) ?? 3);
        var quiet = Number(section["QuietRequestsPerSecond"]) ?? 0;
        var environments = section.GetSection("QuietEnvironments").Get<string[]>() ?? [];
        foreach (var name in environments)
        {
            var environment = settings.Environments.FirstOrDefault(e => string.Equals(e.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            foreach (var service in environment?.Services ?? [])
                traffic.MakeQuiet(service.FlyApp, quiet);
        }
    }

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
