namespace ChatOps.IntegrationTests.Telegram;

// Each test runs a whole bot; run alone, the one-edit-a-second checks measure the bot and not a busy machine.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelegramCollection
{
    public const string Name = "Telegram";
}
