namespace ChatOps.Host.Hosting;

/// <summary>What a person starting the bot should read first, under the console's greeting (sandbox: what is simulated).</summary>
public sealed record StartupBanner(IReadOnlyList<string> Lines)
{
    public static readonly StartupBanner None = new([]);
}
