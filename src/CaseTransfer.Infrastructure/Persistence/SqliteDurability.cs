using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CaseTransfer.Infrastructure.Persistence;

/// <summary>
/// WAL journal with <c>synchronous=FULL</c>: a commit is on disk before it is acknowledged, so a 2xx survives a
/// crash or power loss. WAL persists in the file; <c>synchronous</c> and the busy timeout are per connection.
/// Reads map the database file into memory (<c>mmap_size</c>, up to 2 GiB; SQLite writes still go through the WAL
/// as before, so durability is unchanged) and each pooled connection keeps up to 32 MiB of pages: a name search reads
/// thousands of cases scattered over the file, and a page read from the map costs no system call.
/// </summary>
public sealed class SqliteDurability : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON; PRAGMA mmap_size=2147418112; PRAGMA cache_size=-32768;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
