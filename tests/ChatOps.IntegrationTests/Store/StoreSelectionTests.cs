using ChatOps.Core.Store;
using ChatOps.Host.Hosting;
using ChatOps.Host.Store;
using ChatOps.Host.Store.Postgres;
using ChatOps.Host.Store.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.IntegrationTests.Store;

public sealed class StoreSelectionTests
{
    [Theory]
    [InlineData("postgres://bot:secret@127.0.0.1:5432/chatops")]
    [InlineData("Host=127.0.0.1;Username=bot;Password=secret;Database=chatops")]
    public async Task A_connection_string_selects_the_Postgres_store_and_migrates_it_at_start(string connectionString)
    {
        var (registrations, provider) = Build(new() { ["ConnectionStrings:ChatOps"] = connectionString });
        await using var services = provider;

        var database = services.GetRequiredService<PostgresDatabase>();
        Assert.Same(database, services.GetRequiredService<IStoreProbe>());
        Assert.Equal("postgres", services.GetRequiredService<IStoreProbe>().Kind);
        // Releases go through the metrics wrapper; every other port is the Postgres one.
        Assert.IsType<ChatOps.Host.Metrics.MeteredReleaseStore>(services.GetRequiredService<IReleaseStore>());
        Assert.IsType<PostgresApprovals>(services.GetRequiredService<IApprovalStore>());
        Assert.IsType<PostgresEnvironments>(services.GetRequiredService<IEnvironmentStore>());
        Assert.IsType<PostgresLeases>(services.GetRequiredService<IReleaseLeases>());
        Assert.IsType<PostgresUpdateLog>(services.GetRequiredService<IUpdateLog>());
        // The first hosted service is the database's migration, so the schema is there before the runner starts.
        var hosted = registrations.Where(d => d.ServiceType == typeof(IHostedService)).ToList();
        Assert.Same(database, hosted[0].ImplementationFactory?.Invoke(services));
        Assert.Contains(hosted.Skip(1), d => d.ImplementationType == typeof(ReleaseRunnerService));
    }

    [Fact]
    public async Task Without_a_connection_string_the_embedded_store_is_used()
    {
        var path = Path.Combine(Path.GetTempPath(), $"chatops-{Guid.NewGuid():N}", "chatops.db");
        try
        {
            var (_, provider) = Build(new() { ["ConnectionStrings:ChatOps"] = "", ["ChatOps:StorePath"] = path });
            await using var services = provider;

            Assert.Equal("embedded", services.GetRequiredService<IStoreProbe>().Kind);
            Assert.IsType<SqliteLeases>(services.GetRequiredService<IReleaseLeases>());
            Assert.Equal(path, services.GetRequiredService<IOptions<StoreOptions>>().Value.StorePath);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_store_path_is_refused_at_start_naming_its_key(string path)
    {
        var (_, provider) = Build(new() { ["ConnectionStrings:ChatOps"] = "", ["ChatOps:StorePath"] = path });
        await using var services = provider;

        // Other sections are unset here too, so the start-up check may refuse several options at once.
        var refused = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());

        var failures = refused is AggregateException all ? all.InnerExceptions : [refused];
        var store = Assert.Single(failures.OfType<OptionsValidationException>(), e => e.OptionsType == typeof(StoreOptions));
        Assert.Equal(["ChatOps:StorePath is empty; name the embedded store's file, e.g. data/chatops.db."], store.Failures);
    }

    // Registration only: nothing is started, so no database needs to answer.
    private static (ServiceCollection, ServiceProvider) Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddChatOps(configuration, sandbox: false);
        return (services, services.BuildServiceProvider());
    }
}
