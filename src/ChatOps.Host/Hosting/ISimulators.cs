namespace ChatOps.Host.Hosting;

/// <summary>
/// The simulators that sandbox mode runs beside the bot, as the host sees them: the settings that aim the bot at them,
/// and their lifetime. The host names no type of ChatOps.Sandbox, so that live mode never loads that assembly.
/// </summary>
public interface ISimulators : IAsyncDisposable
{
    /// <summary>The configuration keys that aim every environment of this configuration at the simulators.</summary>
    IReadOnlyDictionary<string, string?> Aim(IConfiguration configuration);
}
