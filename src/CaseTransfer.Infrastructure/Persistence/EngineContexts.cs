using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CaseTransfer.Infrastructure.Persistence;

/// <summary>The embedded default. SQLite cannot order or compare DateTimeOffset text, so instants are stored as UTC ticks.</summary>
public sealed class SqliteCaseTransferDbContext(DbContextOptions<SqliteCaseTransferDbContext> options) : CaseTransferDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}

public sealed class PostgresCaseTransferDbContext(DbContextOptions<PostgresCaseTransferDbContext> options) : CaseTransferDbContext(options);

public sealed class SqlServerCaseTransferDbContext(DbContextOptions<SqlServerCaseTransferDbContext> options) : CaseTransferDbContext(options);
