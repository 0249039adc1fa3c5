using ChatOps.Core.Ports;
using ChatOps.Host.Fly;
using ChatOps.Host.GitHub;
using ChatOps.Host.PrometheusQueries;
using ChatOps.Host.Slack;
using ChatOps.Host.Store;
using ChatOps.Host.TargetDatabase;
using ChatOps.Host.Telegram;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Doctor;

public static class DoctorRegistration
{
    /// <summary>A check group for each outside system that is configured; the chats only when their tokens are set.</summary>
    public static IServiceCollection AddDoctor(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IDoctorChecks, GitHubDoctor>();
        services.AddSingleton<IDoctorChecks, ChatOps.Host.GitHub.GitHubPermissionsDoctor>();
        services.AddSingleton<IDoctorChecks, FlyDoctor>();
        if (!string.IsNullOrWhiteSpace(configuration[$"{PrometheusOptions.Section}:Url"]))
            services.AddSingleton<IDoctorChecks, PrometheusDoctor>();
        if (!string.IsNullOrWhiteSpace(configuration["Telegram:BotToken"]))
            services.AddSingleton<IDoctorChecks, TelegramDoctor>();
        if (!string.IsNullOrWhiteSpace(configuration["Slack:BotToken"]))
            services.AddSingleton<IDoctorChecks>(sp => new SlackDoctor(sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<IOptions<SlackOptions>>()));
        services.AddSingleton<IDoctorChecks, TargetDatabaseDoctor>();
        services.AddSingleton<IDoctorChecks, StoreDoctor>();
        services.AddSingleton<IDoctor, HostDoctor>();
        return services;
    }
}
