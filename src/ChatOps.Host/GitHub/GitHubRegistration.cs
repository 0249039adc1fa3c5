using ChatOps.Core.Ports;
using ChatOps.Host.Hosting;
using ChatOps.Host.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.GitHub;

public static class GitHubRegistration
{
    public static IServiceCollection AddGitHub(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GitHubOptions>()
            .Bind(configuration.GetSection(GitHubOptions.Section))
            .PostConfigure(o =>
            {
                if (o.RequiredChecks.Count == 0)
                {
                    o.RequiredChecks = [.. GitHubOptions.DefaultRequiredChecks];
                }

                o.ApiBaseUrl = o.ApiBaseUrl.TrimEnd('/');
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GitHubOptions>, GitHubOptionsValidator>());
        services.AddResilientHttpClient(GitHubClient.HttpClientName)
            .Configure<IOptions<GitHubOptions>>((call, gitHub) => call.AttemptTimeout = gitHub.Value.Timeout);
        services.AddHttpClient(GitHubClient.HttpClientName).AddHttpMessageHandler(sp => new GitHubAuthentication(sp.GetRequiredService<IGitHubCredential>()));
        services.AddResilientHttpClient(GitHubAppToken.HttpClientName)
            .Configure<IOptions<GitHubOptions>>((call, gitHub) => call.AttemptTimeout = gitHub.Value.Timeout);
        services.TryAddSingleton<LogSecrets>();
        services.AddSingleton<IGitHubCredential>(sp => sp.GetRequiredService<IOptions<GitHubOptions>>().Value is { UsesApp: true }
            ? ActivatorUtilities.CreateInstance<GitHubAppToken>(sp)
            : new GitHubTokenCredential(sp.GetRequiredService<IOptions<GitHubOptions>>().Value.Token));
        if (!string.IsNullOrWhiteSpace(configuration[GitHubOptions.Section + ":AppId"]) || !string.IsNullOrWhiteSpace(configuration[GitHubOptions.Section + ":AppPrivateKey"]))
            services.AddHostedService<GitHubAppStartCheck>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GitHubClient>();
        services.AddSingleton<ISourceControl>(sp => sp.GetRequiredService<GitHubClient>());
        // Off means no port at all: the core's deployment log then records nothing (GitHub:Deployments=false).
        if (configuration.GetValue(GitHubOptions.Section + ":Deployments", true))
        {
            services.AddSingleton<IDeploymentRecords>(sp => new GitHubDeployments(
                new GitHubApi(sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<IOptions<GitHubOptions>>().Value)));
        }

        return services;
    }
}
