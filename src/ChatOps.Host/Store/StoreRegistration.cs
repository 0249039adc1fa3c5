using ChatOps.Core.Store;
using ChatOps.Host.Metrics;
using ChatOps.Host.Store.Postgres;
using ChatOps.Host.Store.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Store;

public static class StoreRegistration
{
    // Every port is registered by a factory, so that a test can wrap the registered one (see CrashSwitch).
    public static IServiceCollection AddStore(this IServiceCollection services, IConfiguration configuration, bool sandbox)
    {
        // DATABASE_URL is mapped onto this key; a postgres:// URL or an Npgsql key=value string. Set, it wins even in the sandbox.
        if (configuration.GetConnectionString("ChatOps") is { Length: > 0 } connectionString)
        {
            services.AddSingleton(_ => PostgresDatabase.For(connectionString));
            // Registered before the runner's hosted service, so the schema is migrated before anything uses the store.
            services.AddHostedService(sp => sp.GetRequiredService<PostgresDatabase>());
            services.AddSingleton<IStoreProbe>(sp => sp.GetRequiredService<PostgresDatabase>());
            services.AddSingleton<IReleaseStore>(sp => new MeteredReleaseStore(new PostgresReleases(sp.GetRequiredService<PostgresDatabase>())));
            services.AddSingleton<IApprovalStore>(sp => new PostgresApprovals(sp.GetRequiredService<PostgresDatabase>()));
            services.AddSingleton<IEnvironmentStore>(sp => new PostgresEnvironments(sp.GetRequiredService<PostgresDatabase>()));
            services.AddSingleton<IUpdateLog>(sp => new PostgresUpdateLog(sp.GetRequiredService<PostgresDatabase>()));
            services.AddSingleton<IReleaseLeases>(sp => new PostgresLeases(sp.GetRequiredService<PostgresDatabase>()));
            return services;
        }

        if (sandbox)
        {
            // The sandbox's simulated GitHub and Fly start fresh every run, so its store does too.
            services.AddSingleton(_ => SqliteDatabase.InMemory());
        }
        else
        {
            services.AddOptions<StoreOptions>()
                .BindConfiguration(StoreOptions.Section)
                .Validate(o => !string.IsNullOrWhiteSpace(o.StorePath), "ChatOps:StorePath is empty; name the embedded store's file, e.g. data/chatops.db.")
                .ValidateOnStart();
            services.AddSingleton(sp => SqliteDatabase.AtPath(sp.GetRequiredService<IOptions<StoreOptions>>().Value.StorePath));
        }
        services.AddSingleton<IStoreProbe>(sp => sp.GetRequiredService<SqliteDatabase>());
        services.AddSingleton<IReleaseStore>(sp => new MeteredReleaseStore(new SqliteReleases(sp.GetRequiredService<SqliteDatabase>())));
        services.AddSingleton<IApprovalStore>(sp => new SqliteApprovals(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IEnvironmentStore>(sp => new SqliteEnvironments(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IUpdateLog>(sp => new SqliteUpdateLog(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IReleaseLeases>(sp => new SqliteLeases(sp.GetRequiredService<SqliteDatabase>()));
        return services;
    }
}
