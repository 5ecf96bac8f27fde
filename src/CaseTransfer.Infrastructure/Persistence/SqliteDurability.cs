using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CaseTransfer.Infrastructure.Persistence;

/// <summary>
/// WAL journal with <c>synchronous=FULL</c>: a commit is on disk before it is acknowledged, so a 2xx survives a
/// crash or power loss. WAL persists in the file; <c>synchronous</c> and the busy timeout are per connection.
/// </summary>
public sealed class SqliteDurability : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";

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
