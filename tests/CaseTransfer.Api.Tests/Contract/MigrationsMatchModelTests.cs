using CaseTransfer.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Api.Tests.Contract;

/// <summary>
/// Each engine's migrations must build exactly the model the code uses: a model change without its migration (or a
/// migration left stale after a merge) fails here, before any database meets it.
/// </summary>
public sealed class MigrationsMatchModelTests
{
    public static TheoryData<string> Engines => ["Sqlite", "Postgres", "SqlServer"];

    [Theory]
    [MemberData(nameof(Engines))]
    public void The_migrations_of_each_engine_match_the_model(string engine)
    {
        using CaseTransferDbContext context = engine switch
        {
            "Sqlite" => new SqliteCaseTransferDbContext(
                new DbContextOptionsBuilder<SqliteCaseTransferDbContext>().UseSqlite("Data Source=:memory:").Options),
            "Postgres" => new PostgresCaseTransferDbContext(
                new DbContextOptionsBuilder<PostgresCaseTransferDbContext>().UseNpgsql("Host=localhost;Database=design").Options),
            _ => new SqlServerCaseTransferDbContext(
                new DbContextOptionsBuilder<SqlServerCaseTransferDbContext>().UseSqlServer("Server=localhost;Database=design").Options),
        };

        Assert.False(context.Database.HasPendingModelChanges(), $"The {engine} model has changes no migration makes: add one.");
    }
}
