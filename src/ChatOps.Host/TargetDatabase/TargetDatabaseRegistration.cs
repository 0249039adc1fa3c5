using ChatOps.Core.Ports;

namespace ChatOps.Host.TargetDatabase;

public static class TargetDatabaseRegistration
{
    // No options of its own: each environment names its database in ChatOps:Environments:<env>:DatabaseUrl.
    public static IServiceCollection AddTargetDatabase(this IServiceCollection services)
    {
        services.AddSingleton<TargetPostgres>();
        services.AddSingleton<IDatabaseOperations, TargetDatabaseClient>();
        services.AddHostedService<PgDumpVersionCheck>();
        return services;
    }
}
