namespace ChatOps.Host.Hosting;

/// <summary>Sandbox or live, decided once at start-up from ChatOps:Mode and the tokens present.</summary>
public static class ChatOpsMode
{
    public static readonly string[] TokenKeys = ["Telegram:BotToken", "Slack:BotToken", "Fly:ApiToken", "GitHub:Token"];

    public static bool IsSandbox(IConfiguration configuration)
    {
        var mode = configuration["ChatOps:Mode"] ?? "auto";
        return mode switch
        {
            "sandbox" => true,
            "live" => false,
            _ => TokenKeys.All(key => string.IsNullOrEmpty(configuration[key])),
        };
    }

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
        ["DATABASE_URL"] = "ConnectionStrings:ChatOps",
    };
}
