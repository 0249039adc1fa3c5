using Microsoft.Extensions.Configuration.Memory;

namespace ChatOps.Host.Sandbox;

/// <summary>
/// The sandbox's example world (example-world.json: the repository acme/myloware, staging and production with the
/// services api and orchestrator, their smoke tests, the required checks, console:alice releasing and console:bob
/// approving). It is the lowest layer of the configuration in sandbox mode only, so the shipped appsettings.json holds
/// no example target and a live bot sees exactly what its operator set (DESIGN §6).
/// </summary>
public static class SandboxExample
{
    private const string Environments = "ChatOps:Environments";

    /// <summary><c>true</c>: the example environments bake (production 10 min, staging 2 min); off by default.</summary>
    public const string ExampleBakesKey = "Sandbox:ExampleBakes";

    /// <summary>
    /// The example beneath <paramref name="configuration"/>: key by key (a setting of the operator's replaces the
    /// example's), except the environments. Sources only add and override, so an example environment beneath an
    /// operator's own would leave its second service, its smoke tests and the example staging in place; where the
    /// operator names a service's Fly app, the operator's environments are the whole world. (A setting that only tunes
    /// the example, such as a service's Image, still lands on the example.)
    /// </summary>
    public static MemoryConfigurationSource Beneath(IConfiguration configuration)
    {
        var example = Read();
        // A newcomer's first release (and the tests, which release through the example world in real time) should not
        // wait minutes in a bake: the example's bakes are there only for whoever asks to watch one.
        if (!string.Equals(configuration[ExampleBakesKey], "true", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var key in example.Keys.Where(k => k.Contains(":Bake:", StringComparison.OrdinalIgnoreCase)).ToList())
                example.Remove(key);
        }
        if (NamesServices(configuration))
        {
            foreach (var key in example.Keys.Where(k => k.StartsWith(Environments + ":", StringComparison.OrdinalIgnoreCase)).ToList())
                example.Remove(key);
        }
        return new MemoryConfigurationSource { InitialData = example };
    }

    /// <summary>Whether the configuration names a Fly app for a service of some environment: an environment of its own.</summary>
    public static bool NamesServices(IConfiguration configuration) =>
        configuration.GetSection(Environments).GetChildren()
            .Any(env => env.GetSection("Services").GetChildren().Any(service => !string.IsNullOrEmpty(service["FlyApp"])));

    private static Dictionary<string, string?> Read()
    {
        using var stream = typeof(SandboxExample).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the host.");
        // Read once into memory: a stream source cannot be read again when the configuration reloads its sources.
        return new ConfigurationBuilder().AddJsonStream(stream).Build().AsEnumerable()
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase);
    }

    private const string ResourceName = "ChatOps.Host.Sandbox.example-world.json";
}
