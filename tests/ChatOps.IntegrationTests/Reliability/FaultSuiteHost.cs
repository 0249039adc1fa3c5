using ChatOps.Host.Hosting;
using ChatOps.IntegrationTests.Harness;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Reliability;

/// <summary>One bot instance of the fault suite: the shared store, sandbox and chats, its own process state.</summary>
public sealed class FaultSuiteHost : BotHost
{
    private FaultSuiteHost(ChatOpsApp app)
        : base(app)
    {
    }

    public Uri TelegramWebhook => new(BaseUrl, "telegram/webhook");

    public static async Task<FaultSuiteHost> StartAsync(IDictionary<string, string?> settings, SandboxServer sandbox, Action<IServiceCollection> configure) =>
        new(await StartAppAsync(settings, null, configure, sandbox));
}
