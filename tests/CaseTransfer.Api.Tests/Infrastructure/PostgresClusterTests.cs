using Npgsql;

namespace CaseTransfer.Api.Tests.Infrastructure;

public class PostgresClusterTests
{
    [Fact]
    public async Task Throwaway_cluster_serves_a_fresh_database()
    {
        PostgresCluster.RequireOrSkip();
        var ct = TestContext.Current.CancellationToken;
        TestContext.Current.TestOutputHelper?.WriteLine($"PostgreSQL cluster startup took {PostgresCluster.StartupDuration.TotalMilliseconds:F0} ms");

        var first = await PostgresCluster.CreateDatabaseAsync("cluster_test");
        var second = await PostgresCluster.CreateDatabaseAsync("cluster_test");

        var firstBuilder = new NpgsqlConnectionStringBuilder(first);
        var secondBuilder = new NpgsqlConnectionStringBuilder(second);
        Assert.Equal("127.0.0.1", firstBuilder.Host);
        Assert.Equal("app", firstBuilder.Username);
        Assert.True(firstBuilder.IncludeErrorDetail);
        Assert.StartsWith("cluster_test_", firstBuilder.Database, StringComparison.Ordinal);
        Assert.NotEqual(firstBuilder.Database, secondBuilder.Database);

        await using var connection = new NpgsqlConnection(first);
        await connection.OpenAsync(ct);
        await using (var version = new NpgsqlCommand("select version()", connection))
        {
            var text = (string?)await version.ExecuteScalarAsync(ct);
            Assert.Contains("PostgreSQL", text, StringComparison.Ordinal);
        }

        await using (var current = new NpgsqlCommand("select current_database()", connection))
        {
            Assert.Equal(firstBuilder.Database, (string?)await current.ExecuteScalarAsync(ct));
        }

        // Fresh: no user tables yet. A table made in the first database is not visible in the second.
        await using (var create = new NpgsqlCommand("create table marker(id int)", connection))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        await using var other = new NpgsqlConnection(second);
        await other.OpenAsync(ct);
        await using var count = new NpgsqlCommand("select count(*) from information_schema.tables where table_schema = 'public'", other);
        Assert.Equal(0L, (long?)await count.ExecuteScalarAsync(ct));
    }
}
