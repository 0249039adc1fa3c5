using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Telegram;

public sealed class TelegramOptions
{
    public const string Section = "Telegram";

    public string BotToken { get; set; } = "";
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    // Empty: in the sandbox every chat the bot is in may talk to it; live, only private chats of people with a role.
    public List<long> AllowedChatIds { get; set; } = [];

    // Not configuration: set from the resolved start-up mode (ChatOps:ResolvedMode), as the stranger rules differ.
    public bool Live { get; set; }

    // Set: webhook mode (setWebhook with WebhookSecret). Empty: long polling.
    public string WebhookUrl { get; set; } = "";
    public string WebhookSecret { get; set; } = "";

    // How long a webhook request waits for the command's reply to ride on its answer; a slower reply goes by the API.
    public TimeSpan WebhookReplyBudget { get; set; } = TimeSpan.FromSeconds(2);

    // How long one getUpdates call is held open by Telegram.
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(30);

    // Telegram throttles a chat above about one message a second; card edits are spaced by this much.
    public TimeSpan EditInterval { get; set; } = TimeSpan.FromSeconds(1);

    public bool UsesWebhook => WebhookUrl.Length > 0;

    public bool IsAllowed(long chatId) => AllowedChatIds.Count == 0 || AllowedChatIds.Contains(chatId);

    internal static bool IsToken(string value) => TokenPattern.IsMatch(value);

    internal static bool IsSecret(string value) => SecretPattern.IsMatch(value);

    // Telegram.Bot accepts 1-16 digits before the colon; the secret part is never shown.
    private static readonly Regex TokenPattern = new(@"^\d{1,16}:[A-Za-z0-9_-]+$", RegexOptions.Compiled);

    private static readonly Regex SecretPattern = new("^[A-Za-z0-9_-]{1,256}$", RegexOptions.Compiled);
}

internal sealed class TelegramOptionsValidator : IValidateOptions<TelegramOptions>
{
    public ValidateOptionsResult Validate(string? name, TelegramOptions options)
    {
        List<string> errors = [];
        if (!TelegramOptions.IsToken(options.BotToken))
            errors.Add("Telegram:BotToken must look like 123456789:AAE... as BotFather gives it (or set TELEGRAM_BOT_TOKEN)");
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
            errors.Add("Telegram:ApiBaseUrl must be an absolute http(s) URL such as https://api.telegram.org");
        if (options.UsesWebhook)
        {
            if (!Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var hook) || hook.Scheme != "https")
                errors.Add("Telegram:WebhookUrl must be an absolute https URL ending in /telegram/webhook, or empty for long polling");
            if (!TelegramOptions.IsSecret(options.WebhookSecret))
                errors.Add("Telegram:WebhookSecret is required in webhook mode: 1-256 of A-Z a-z 0-9 _ - (or set TELEGRAM_WEBHOOK_SECRET)");
        }
        else if (options.WebhookSecret.Length > 0 && !TelegramOptions.IsSecret(options.WebhookSecret))
            errors.Add("Telegram:WebhookSecret may only use A-Z a-z 0-9 _ - (at most 256)");
        if (options.PollTimeout < TimeSpan.FromSeconds(1) || options.PollTimeout > TimeSpan.FromMinutes(5))
            errors.Add("Telegram:PollTimeout must be between 00:00:01 and 00:05:00");
        if (options.WebhookReplyBudget < TimeSpan.Zero || options.WebhookReplyBudget > TimeSpan.FromSeconds(30))
            errors.Add("Telegram:WebhookReplyBudget must be between 00:00:00 and 00:00:30");
        if (options.EditInterval < TimeSpan.Zero)
            errors.Add("Telegram:EditInterval must not be negative");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
