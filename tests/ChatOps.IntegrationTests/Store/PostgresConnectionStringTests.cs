using ChatOps.Host.Store.Postgres;
using Npgsql;

namespace ChatOps.IntegrationTests.Store;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void A_postgres_url_becomes_the_same_address_for_Npgsql()
    {
        var npgsql = new NpgsqlConnectionStringBuilder(
            PostgresConnectionString.ToNpgsql("postgres://chat%40ops:p%3Ass%2Fw@db.internal:6543/chatops_prod?sslmode=verify-full&application_name=bot"));

        Assert.Equal(("db.internal", 6543, "chatops_prod"), (npgsql.Host, npgsql.Port, npgsql.Database));
        Assert.Equal(("chat@ops", "p:ss/w"), (npgsql.Username, npgsql.Password));
        Assert.Equal((SslMode.VerifyFull, "bot"), (npgsql.SslMode, npgsql.ApplicationName));
    }

    [Fact]
    public void A_postgresql_url_without_port_or_options_gets_the_defaults()
    {
        var npgsql = new NpgsqlConnectionStringBuilder(PostgresConnectionString.ToNpgsql("postgresql://bot:secret@[::1]/chatops"));

        Assert.Equal(("::1", 5432, "chatops", "bot"), (npgsql.Host, npgsql.Port, npgsql.Database, npgsql.Username));
    }

    [Fact]
    public void An_Npgsql_connection_string_is_taken_as_it_is()
    {
        var npgsql = new NpgsqlConnectionStringBuilder(PostgresConnectionString.ToNpgsql("Host=127.0.0.1;Port=55440;Username=postgres;Password=pw;Database=chatops"));

        Assert.Equal(("127.0.0.1", 55440, "chatops", "pw"), (npgsql.Host, npgsql.Port, npgsql.Database, npgsql.Password));
    }

    [Fact]
    public void An_unknown_url_parameter_is_refused_by_name_without_the_password()
    {
        var error = Assert.Throws<FormatException>(() => PostgresConnectionString.ToNpgsql("postgres://bot:hunter2@db/chatops?frobnicate=1"));

        Assert.Contains("frobnicate", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Single_statements_get_a_multiplexed_source_of_a_few_connections_unless_pooling_is_off()
    {
        await using var multiplexed = PostgresConnectionString.Multiplexed("postgres://bot:secret@db.internal/chatops");
        var npgsql = new NpgsqlConnectionStringBuilder(multiplexed!.ConnectionString);

        Assert.True(npgsql.Multiplexing);
        Assert.Equal(4, npgsql.MaxPoolSize);
        Assert.Null(PostgresConnectionString.Multiplexed("Host=db.internal;Database=chatops;Pooling=false"));
    }
}
