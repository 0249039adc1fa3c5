using ChatOps.Core.Settings;

namespace ChatOps.Host.Hosting;

/// <summary>Sandbox or live, decided once at start-up from ChatOps:Mode and the settings present.</summary>
public static class ChatOpsMode
{
    public static readonly string[] TokenKeys = ["Telegram:BotToken", "Slack:BotToken", "Fly:ApiToken", "GitHub:Token", "GitHub:AppPrivateKey"];

    // The sandbox's example world (Sandbox/example-world.json): fine against the simulators, never a real target.
    private static readonly string[] DemoValues = ["acme/myloware", "myloware-api", "myloware-orchestrator", "myloware-api-staging", "myloware-orchestrator-staging"];

    /// <summary>
    /// sandbox, live, or auto: sandbox when no token at all is set, live when everything live mode needs is set.
    /// Anything in between, or live with missing or demo values, is refused with one line.
    /// </summary>
    public static bool IsSandbox(IConfiguration configuration)
    {
        var mode = configuration["ChatOps:Mode"] ?? "auto";
        if (mode == "sandbox")
            return true;
        if (mode == "auto" && TokenKeys.All(key => string.IsNullOrEmpty(configuration[key])))
            return true;
        if (mode is "live" or "auto" && LiveProblems(configuration) is { Count: > 0 } problems)
        {
            var why = mode == "auto" ? "ChatOps:Mode is auto and a token is set, but live mode is not complete" : "ChatOps:Mode is live, but it is not complete";
            throw new StartupRefusedException(
                $"{why}: {string.Join("; ", problems)}. Set them, or start with ChatOps:Mode=sandbox (environment: ChatOps__Mode=sandbox) to try a real chat against simulated GitHub and Fly.");
        }
        return false;
    }

    /// <summary>What live mode lacks: the keys to set (with their usual secret names) and the demo values to replace.</summary>
    public static List<string> LiveProblems(IConfiguration configuration)
    {
        var missing = new List<string>();
        void Need(string key, string? secret)
        {
            if (string.IsNullOrWhiteSpace(configuration[key]))
                missing.Add(secret is null ? key : $"{key} ({secret})");
        }
        if (string.IsNullOrWhiteSpace(configuration["GitHub:AppId"]) && string.IsNullOrWhiteSpace(configuration["GitHub:AppPrivateKey"]))
            Need("GitHub:Token", "GITHUB_TOKEN");
        Need("GitHub:Repository", null);
        Need("Fly:ApiToken", "FLY_API_TOKEN");
        var consoleChat = string.Equals(configuration["Console:Enabled"], "true", StringComparison.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(configuration["Telegram:BotToken"]) && string.IsNullOrWhiteSpace(configuration["Slack:BotToken"]) && !consoleChat)
            missing.Add("a chat: Telegram:BotToken (TELEGRAM_BOT_TOKEN) or Slack:BotToken (SLACK_BOT_TOKEN)");
        var problems = new List<string>();
        if (missing.Count > 0)
            problems.Add("missing " + string.Join(", ", missing));
        if (!configuration.GetSection("ChatOps:Environments").GetChildren().Any())
            problems.Add(NoEnvironment);
        var demo = DemoKeys(configuration).ToList();
        if (demo.Count > 0)
            problems.Add("still the example value: " + string.Join(", ", demo));
        return problems;
    }

    public const string NoEnvironment =
        "no environment to release to: name one with its services, e.g. ChatOps__Environments__production__Services__0__Name=api, …__FlyApp, …__Image, …__HealthUrl (docs/deploy-fly.md §3)";

    private static IEnumerable<string> DemoKeys(IConfiguration configuration)
    {
        if (IsDemo(configuration["GitHub:Repository"]))
            yield return $"GitHub:Repository={configuration["GitHub:Repository"]}";
        var settings = configuration.GetSection("ChatOps").Get<ChatOpsSettings>() ?? new ChatOpsSettings();
        foreach (var (name, env) in settings.Environments)
        {
            for (var i = 0; i < env.Services.Count; i++)
            {
                if (IsDemo(env.Services[i].FlyApp))
                    yield return $"ChatOps:Environments:{name}:Services:{i}:FlyApp={env.Services[i].FlyApp}";
            }
            if (IsDemo(env.Migrations.App))
                yield return $"ChatOps:Environments:{name}:Migrations:App={env.Migrations.App}";
        }
    }

    private static bool IsDemo(string? value) => value is not null && DemoValues.Contains(value, StringComparer.OrdinalIgnoreCase);

    /// <summary>The usual secret names (as Fly sets them) mapped onto configuration keys.</summary>
    public static readonly IReadOnlyDictionary<string, string> SecretNames = new Dictionary<string, string>
    {
        ["TELEGRAM_BOT_TOKEN"] = "Telegram:BotToken",
        ["TELEGRAM_WEBHOOK_SECRET"] = "Telegram:WebhookSecret",
        ["SLACK_BOT_TOKEN"] = "Slack:BotToken",
        ["SLACK_SIGNING_SECRET"] = "Slack:SigningSecret",
        ["SLACK_APP_TOKEN"] = "Slack:AppToken",
        ["FLY_API_TOKEN"] = "Fly:ApiToken",
        ["GITHUB_TOKEN"] = "GitHub:Token",
        ["GITHUB_APP_PRIVATE_KEY"] = "GitHub:AppPrivateKey",
        ["DATABASE_URL"] = "ConnectionStrings:ChatOps",
    };
}

/// <summary>The host will not start, for a reason that fits in one line (no stack trace is shown).</summary>
public sealed class StartupRefusedException(string message) : Exception(message);
