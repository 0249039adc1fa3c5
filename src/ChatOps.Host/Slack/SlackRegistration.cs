using ChatOps.Core.Cards;
using ChatOps.Host.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Slack;

public static class SlackRegistration
{
    /// <summary>
    /// Slack is on when <c>Slack:BotToken</c> (or SLACK_BOT_TOKEN) is set, and off otherwise. Socket Mode runs
    /// when <c>Slack:AppToken</c> is set; the HTTP endpoints answer when <c>Slack:SigningSecret</c> is.
    /// </summary>
    public static IServiceCollection AddSlack(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SlackOptions.Section);
        if (string.IsNullOrWhiteSpace(section[nameof(SlackOptions.BotToken)]))
            return services;

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>());
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section).ValidateOnStart()
            .PostConfigure(o => o.Live = configuration["ChatOps:ResolvedMode"] == "live");
        // Read from the section, not from IOptions<SlackOptions>: that would validate Slack's options a second time
        // and report every Slack mistake twice at start-up.
        var timeout = section.GetValue<TimeSpan?>(nameof(SlackOptions.Timeout));
        services.AddResilientHttpClient(SlackClient.HttpClientName).Configure(call => call.AttemptTimeout = timeout ?? new SlackOptions().Timeout);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ISlackApi, SlackClient>();
        services.AddSingleton<SlackPeople>();
        services.AddSingleton<SlackWorkspace>();
        services.AddHostedService(sp => sp.GetRequiredService<SlackWorkspace>());

        services.AddSingleton<SlackSurface>();
        services.AddSingleton<IChatSurface>(sp => sp.GetRequiredService<SlackSurface>());
        services.AddSingleton<SlackWork>();
        services.AddHostedService(sp => sp.GetRequiredService<SlackWork>());
        services.AddSingleton<SlackInbox>();
        if (!string.IsNullOrWhiteSpace(section[nameof(SlackOptions.AppToken)]))
        {
            services.AddSingleton<SlackSocketHealth>();
            services.AddSingleton<SlackReceiver>();
            services.AddHostedService(sp => sp.GetRequiredService<SlackReceiver>());
        }
        return services;
    }
}
