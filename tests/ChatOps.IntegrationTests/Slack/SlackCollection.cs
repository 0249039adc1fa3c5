namespace ChatOps.IntegrationTests.Slack;

// Each test runs a whole bot and a simulated Slack; run one at a time on a small machine.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SlackCollection
{
    public const string Name = "Slack";
}
