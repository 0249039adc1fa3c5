using ChatOps.Core.Ports;
using ChatOps.Host.Hosting;
using ChatOps.Host.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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

        var store = services.GetRequiredService<PostgresStore>();
        Assert.Equal("postgres", services.GetRequiredService<IStoreProbe>().Kind);
        // Releases go through the metrics wrapper; everything else is the store itself.
        Assert.IsType<ChatOps.Host.Metrics.MeteredReleaseStore>(services.GetRequiredService<IReleaseStore>());
        Assert.Same(store, services.GetRequiredService<IApprovalStore>());
        Assert.Same(store, services.GetRequiredService<IReleaseLeases>());
        Assert.Same(store, services.GetRequiredService<IUpdateLog>());
        // The first hosted service is the store's migration, so the schema is there before the runner starts.
        var hosted = registrations.Where(d => d.ServiceType == typeof(IHostedService)).ToList();
        Assert.Same(store, hosted[0].ImplementationFactory?.Invoke(services));
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
            Assert.IsType<SqliteStore>(services.GetRequiredService<IReleaseLeases>());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    // Registration only: nothing is started, so no database needs to answer.
    private static (ServiceCollection, ServiceProvider) Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddChatOps(configuration, sandbox: null);
        return (services, services.BuildServiceProvider());
    }
}
