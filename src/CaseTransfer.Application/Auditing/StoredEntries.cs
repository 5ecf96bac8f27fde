using System.Data.Common;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CaseTransfer.Application.Auditing;

/// <summary>
/// Reads audit entries and leaves as stored, with a plain data reader: what the verifier hashes. Materialising a million EF
/// entities (value converters, a CRN pattern check and an enum parse per row) was the largest single cost of
/// verification, and it hashed the domain's reading of a row rather than the row. Table and column names, quoting and
/// the instant's storage format come from the EF model, so the one query serves every engine.
/// </summary>
internal static class StoredEntries
{
    // Encoding order; Sequence first.
    private static readonly string[] Columns =
    [
        nameof(AuditEntry.Sequence), nameof(AuditEntry.Id), nameof(AuditEntry.OccurredAt), nameof(AuditEntry.Operation), nameof(AuditEntry.Action),
        nameof(AuditEntry.ActorUserId), nameof(AuditEntry.ActorUserName), nameof(AuditEntry.ActorOrganisation), nameof(AuditEntry.ClientId),
        nameof(AuditEntry.TraceId), nameof(AuditEntry.Crn), nameof(AuditEntry.ResourceType), nameof(AuditEntry.ResourceId),
        nameof(AuditEntry.ResourceVersion), nameof(AuditEntry.Summary), nameof(AuditEntry.Justification), nameof(AuditEntry.Recipients),
    ];

    private static readonly string[] LeafColumns =
    [
        nameof(AuditLeaf.LeafIndex), nameof(AuditLeaf.EntrySequence), nameof(AuditLeaf.LeafHash), nameof(AuditLeaf.IntegratedAt),
    ];

    /// <summary>The entries with sequence numbers in [<paramref name="low"/>, <paramref name="high"/>], by sequence number.</summary>
    public static async Task<Dictionary<long, AuditEntryFields>> ReadRangeAsync(IAppDbContext db, long low, long high, CancellationToken cancellationToken)
    {
        var entries = new Dictionary<long, AuditEntryFields>(checked((int)Math.Min(high - low + 1, 1 << 20)));
        var occurredAt = Instant(db.AuditEntries.EntityType, nameof(AuditEntry.OccurredAt));
        await ReadAsync(db, db.AuditEntries.EntityType, Columns, low, high, reader =>
            entries[reader.GetInt64(0)] = new AuditEntryFields(
                reader.GetGuid(1),
                occurredAt(reader, 2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetString(7),
                Text(reader, 8),
                reader.GetString(9),
                Text(reader, 10),
                Text(reader, 11),
                Text(reader, 12),
                reader.IsDBNull(13) ? null : reader.GetInt64(13),
                Text(reader, 14),
                Text(reader, 15),
                Text(reader, 16)),
            cancellationToken);
        return entries;
    }

    /// <summary>The leaves with indexes in [<paramref name="first"/>, <paramref name="last"/>], in index order.</summary>
    public static async Task<List<StoredLeaf>> ReadLeavesAsync(IAppDbContext db, long first, long last, CancellationToken cancellationToken)
    {
        var leaves = new List<StoredLeaf>(checked((int)Math.Min(last - first + 1, 1 << 20)));
        var integratedAt = Instant(db.AuditLeaves.EntityType, nameof(AuditLeaf.IntegratedAt));
        await ReadAsync(db, db.AuditLeaves.EntityType, LeafColumns, first, last, reader =>
            leaves.Add(new StoredLeaf(reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2), integratedAt(reader, 3))), cancellationToken);
        return leaves;
    }

    /// <summary>
    /// Runs <c>SELECT columns FROM table WHERE columns[0] BETWEEN low AND high ORDER BY columns[0]</c> on the context's
    /// connection (inside its transaction, if any) and hands each row to <paramref name="read"/>.
    /// </summary>
    private static async Task ReadAsync(IAppDbContext db, IEntityType entity, string[] columns, long low, long high, Action<DbDataReader> read, CancellationToken cancellationToken)
    {
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.Database.GetService<ISqlGenerationHelper>();
        string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);

        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var key = Column(columns[0]);
        command.CommandText =
            $"SELECT {string.Join(", ", columns.Select(Column))} FROM {sql.DelimitIdentifier(table.Name, table.Schema)} "
            + $"WHERE {key} >= {sql.GenerateParameterName("low")} AND {key} <= {sql.GenerateParameterName("high")} ORDER BY {key}";
        command.Parameters.Add(Parameter(command, sql.GenerateParameterName("low"), low));
        command.Parameters.Add(Parameter(command, sql.GenerateParameterName("high"), high));

        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                read(reader);
            }
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>Reads an instant as the model stores it (UTC ticks on SQLite, a native type elsewhere).</summary>
    private static Func<DbDataReader, int, DateTimeOffset> Instant(IEntityType entity, string property) =>
        entity.FindProperty(property)!.GetTypeMapping().Converter is { } converter
            ? (reader, ordinal) => (DateTimeOffset)converter.ConvertFromProvider(reader.GetValue(ordinal))!
            : (reader, ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DbParameter Parameter(DbCommand command, string name, long value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        return parameter;
    }
}

/// <summary>A leaf as stored: the columns verification checks.</summary>
internal readonly record struct StoredLeaf(long LeafIndex, long EntrySequence, byte[] LeafHash, DateTimeOffset IntegratedAt);
