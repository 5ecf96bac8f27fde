using System.Data.Common;
using CaseTransfer.Application.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseTransfer.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
    SqlServer,
}

/// <summary>The <c>Database</c> configuration section: which engine, and its connection string.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string DefaultSqlite = "Data Source=data/casetransfer.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Falls back to <c>ConnectionStrings:CaseTransfer</c>, then (SQLite only) to a file under <c>data/</c>.</summary>
    public string? ConnectionString { get; set; }

    public static DatabaseOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        options.ConnectionString ??= configuration.GetConnectionString("CaseTransfer");
        if (options.ConnectionString is null)
        {
            options.ConnectionString = options.Provider == DatabaseProvider.Sqlite
                ? DefaultSqlite
                : throw new InvalidOperationException(
                    $"Database:Provider is {options.Provider}; set Database:ConnectionString (or ConnectionStrings:CaseTransfer).");
        }

        return options;
    }

    public void Configure(DbContextOptionsBuilder builder)
    {
        switch (Provider)
        {
            case DatabaseProvider.Sqlite:
                EnsureSqliteDirectory(ConnectionString!);
                builder.UseSqlite(ConnectionString, o => o.MigrationsHistoryTable("__EFMigrationsHistory"))
                    .AddInterceptors(new SqliteDurability());
                break;
            case DatabaseProvider.Postgres:
                var prepared = postgresConnectionString;
                if (prepared?.Source != ConnectionString)
                {
                    postgresConnectionString = prepared = new PreparedConnectionString(ConnectionString, WithAutoPrepare(ConnectionString!));
                }

                builder.UseNpgsql(prepared!.Value);
                break;
            case DatabaseProvider.SqlServer:
                builder.UseSqlServer(ConnectionString);
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider {Provider}.");
        }
    }

    /// <summary>
    /// Npgsql's automatic preparation (and no session reset on return to the pool), unless the connection string sets them: every request runs the same few dozen
    /// statements, and unprepared each one is parsed, analysed and planned again by PostgreSQL (measured at about 40%
    /// of the server's CPU in the allocation benchmark). Prepared statements live on the physical connection, survive
    /// its return to the pool, and are invalidated by Npgsql when a table's schema changes.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = connectionString.Replace(" ", "", StringComparison.Ordinal);
        if (!given.Contains("maxautoprepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
            builder.AutoPrepareMinUsages = 2;
        }

        // Nothing here leaves session state on a connection (no SET, temporary tables, advisory locks or LISTEN;
        // transactions always end before the connection goes back), so the reset Npgsql sends when a connection
        // returns to the pool (seven statements once statements are prepared) is skipped.
        if (!given.Contains("noresetonclose", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    public const int DefaultMaxAutoPrepare = 200;

    private PreparedConnectionString? postgresConnectionString; // Worked out once, not per DbContext.

    private sealed record PreparedConnectionString(string? Source, string Value);

    private static void EnsureSqliteDirectory(string connectionString)
    {
        var path = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory) && path != ":memory:")
        {
            Directory.CreateDirectory(directory);
        }
    }
}

public static class PersistenceRegistration
{
    public static IServiceCollection AddCaseTransferPersistence(this IServiceCollection services, DatabaseOptions options)
    {
        services.AddSingleton(options);

        // Pooled: a request takes a context that was reset (change tracker, transaction, command timeout, savepoint
        // setting) rather than building one and its services; the contexts keep no state of their own.
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContextPool<SqliteCaseTransferDbContext>(options.Configure);
                services.AddScoped<CaseTransferDbContext>(sp => sp.GetRequiredService<SqliteCaseTransferDbContext>());
                break;
            case DatabaseProvider.Postgres:
                services.AddDbContextPool<PostgresCaseTransferDbContext>(options.Configure);
                services.AddScoped<CaseTransferDbContext>(sp => sp.GetRequiredService<PostgresCaseTransferDbContext>());
                break;
            case DatabaseProvider.SqlServer:
                services.AddDbContextPool<SqlServerCaseTransferDbContext>(options.Configure);
                services.AddScoped<CaseTransferDbContext>(sp => sp.GetRequiredService<SqlServerCaseTransferDbContext>());
                break;
        }

        services.AddScoped<IAppDbContext>(sp => sp.GetRequiredService<CaseTransferDbContext>());
        services.AddSingleton<IDatabaseErrors, DatabaseErrors>();
        return services;
    }
}

public sealed class DatabaseErrors : IDatabaseErrors
{
    public bool IsUniqueViolation(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Only UNIQUE and PRIMARY KEY: a trigger's RAISE(ABORT) or a CHECK also fails with SQLITE_CONSTRAINT (19).
                case SqliteException { SqliteExtendedErrorCode: 2067 or 1555 }:
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }:
                case DbException db when db.GetType().Name == "SqlException" && db.ErrorCode is 2627 or 2601:
                    return true;
            }
        }

        return false;
    }

    public bool IsConcurrencyFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure }:
                // 1205: chosen as the deadlock victim.
                case DbException db when db.GetType().Name == "SqlException" && db.ErrorCode is 1205:
                    return true;
            }
        }

        return false;
    }
}

/// <summary>Design-time factories so <c>dotnet ef migrations add</c> builds each engine's migrations with no server.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCaseTransferDbContext>
{
    public SqliteCaseTransferDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCaseTransferDbContext>().UseSqlite("Data Source=design.db").Options);
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCaseTransferDbContext>
{
    public PostgresCaseTransferDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCaseTransferDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}

public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerCaseTransferDbContext>
{
    public SqlServerCaseTransferDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerCaseTransferDbContext>().UseSqlServer("Server=localhost;Database=design").Options);
}
