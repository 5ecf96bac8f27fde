using System.Data.Common;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CaseTransfer.Application.Auditing;

/// <summary>
/// Reads audit entries as stored, with a plain data reader: what the verifier hashes. Materialising a million EF
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

    /// <summary>The entries with sequence numbers in [<paramref name="low"/>, <paramref name="high"/>], by sequence number.</summary>
    public static async Task<Dictionary<long, AuditEntryFields>> ReadRangeAsync(IAppDbContext db, long low, long high, CancellationToken cancellationToken)
    {
        var entity = db.AuditEntries.EntityType;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.Database.GetService<ISqlGenerationHelper>();
        string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        var occurredAt = entity.FindProperty(nameof(AuditEntry.OccurredAt))!.GetTypeMapping().Converter;

        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText =
            $"SELECT {string.Join(", ", Columns.Select(Column))} FROM {sql.DelimitIdentifier(table.Name, table.Schema)} "
            + $"WHERE {Column(nameof(AuditEntry.Sequence))} >= {sql.GenerateParameterName("low")} AND {Column(nameof(AuditEntry.Sequence))} <= {sql.GenerateParameterName("high")}";
        command.Parameters.Add(Parameter(command, sql.GenerateParameterName("low"), low));
        command.Parameters.Add(Parameter(command, sql.GenerateParameterName("high"), high));

        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            var entries = new Dictionary<long, AuditEntryFields>(checked((int)Math.Min(high - low + 1, 1 << 20)));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                entries[reader.GetInt64(0)] = new AuditEntryFields(
                    reader.GetGuid(1),
                    occurredAt is null ? reader.GetFieldValue<DateTimeOffset>(2) : (DateTimeOffset)occurredAt.ConvertFromProvider(reader.GetValue(2))!,
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
                    Text(reader, 16));
            }

            return entries;
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DbParameter Parameter(DbCommand command, string name, long value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        return parameter;
    }
}
