using ChatOps.Core.Cards;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace ChatOps.Host.Telegram;

public static class TelegramRegistration
{
    private const string DefaultApi = "https://api.telegram.org";

    /// <summary>Telegram is on when <c>Telegram:BotToken</c> (or TELEGRAM_BOT_TOKEN) is set, and off otherwise.</summary>
    public static IServiceCollection AddTelegram(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration.GetSection(TelegramOptions.Section)[nameof(TelegramOptions.BotToken)]))
            return services;

        services.AddSingleton<IValidateOptions<TelegramOptions>, TelegramOptionsValidator>();
        services.AddOptions<TelegramOptions>().BindConfiguration(TelegramOptions.Section).ValidateOnStart()
            .PostConfigure(o => o.Live = configuration["ChatOps:ResolvedMode"] == "live");

        // A plain HttpClient, not one from IHttpClientFactory: the factory's handlers log request URLs, and the Bot
        // API puts the token in the path. A long poll is held open for PollTimeout, so the timeout is longer.
        services.AddKeyedSingleton(TelegramOptions.Section, (sp, _) => new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            Timeout = sp.GetRequiredService<IOptions<TelegramOptions>>().Value.PollTimeout + TimeSpan.FromSeconds(15),
        });
        services.AddSingleton<ITelegramBotClient>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
            var api = o.ApiBaseUrl.TrimEnd('/').Equals(DefaultApi, StringComparison.OrdinalIgnoreCase) ? null : o.ApiBaseUrl;
            // RetryThreshold 0: the chat lanes wait out a 429 themselves, so a newer card can replace the refused one.
            var clientOptions = new TelegramBotClientOptions(o.BotToken, api) { RetryThreshold = 0 };
            return new TelegramBotClient(clientOptions, sp.GetRequiredKeyedService<HttpClient>(TelegramOptions.Section));
        });

        services.AddSingleton<TelegramBotIdentity>();
        services.AddSingleton<TelegramSurface>();
        services.AddSingleton<IChatSurface>(sp => sp.GetRequiredService<TelegramSurface>());
        services.AddSingleton<TelegramUpdateHandler>();
        services.AddHostedService<TelegramReceiver>();
        return services;
    }
}
