namespace ChatOps.Host.ChatLanes;

public static class ChatInboxRegistration
{
    /// <summary>The one inbox, once, however many chat platforms are on.</summary>
    public static IServiceCollection AddChatInbox(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ChatInbox)))
            return services;
        services.AddSingleton<ChatInbox>();
        services.AddHostedService(sp => sp.GetRequiredService<ChatInbox>());
        return services;
    }
}
