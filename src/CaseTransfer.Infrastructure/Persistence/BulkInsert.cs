using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace CaseTransfer.Infrastructure.Persistence;

/// <summary>
/// Inserts many rows of mapped entities without change tracking, reading table, columns and value converters from
/// the EF model so the rows are exactly what SaveChanges would write. PostgreSQL uses binary COPY; SQLite and SQL
/// Server use multi-row parameterised INSERTs. Runs inside the context's current transaction when there is one.
/// For seeding and other set-based work; never for rows that raise domain events.
/// </summary>
public static class BulkInsert
{
    public static async Task InsertAsync<T>(CaseTransferDbContext db, IReadOnlyCollection<T> rows, CancellationToken cancellationToken = default)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var columns = Columns(entityType, table);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            if (connection is NpgsqlConnection npgsql && columns.All(c => c.Encode is not null))
            {
                await PostgresBinaryCopy.CopyAsync(npgsql, table.Name, [.. columns.Select(c => c.Name)], [.. columns.Select(c => c.Read)], [.. columns.Select(c => c.Encode!)], rows, cancellationToken);
            }
            else if (connection is NpgsqlConnection importer)
            {
                await CopyAsync(importer, table.Name, columns, rows, cancellationToken);
            }
            else
            {
                var sql = db.GetService<ISqlGenerationHelper>();
                // Microsoft.Data.Sqlite binds each parameter by looking its name up in the statement (a linear scan), so
                // a multi-row statement costs quadratically in its parameters: one prepared single-row INSERT run once
                // per row is two to three times faster there (SQLite has no network round trip). SQL Server takes
                // multi-row statements of at most 2,100 parameters.
                var rowsPerStatement = db.Database.IsSqlServer() ? Math.Max(1, Math.Min(1000, 2000 / columns.Count)) : 1;
                await InsertValuesAsync(connection, transaction, sql, table.Name, columns, rows, rowsPerStatement, cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// A stored column: its name, a reader of its provider value, a COPY writer typed by that value's CLR type, and
    /// the raw binary COPY encoder of its type (null when <see cref="PostgresBinaryCopy"/> does not know it).
    /// </summary>
    private sealed record Column(string Name, Func<object, object?> Read, Action<NpgsqlBinaryImporter, object> Copy, PostgresBinaryCopy.Encoder? Encode);

    /// <summary>Every stored column of the entity, including those of complex properties, with a provider-value reader.</summary>
    private static List<Column> Columns(IEntityType entityType, StoreObjectIdentifier table)
    {
        var columns = new List<Column>();
        foreach (var property in entityType.GetProperties().Where(p => p.ValueGenerated != ValueGenerated.OnAdd || !p.IsKey()))
        {
            var getter = property.GetGetter();
            var converter = ConverterOf(property);
            columns.Add(new Column(
                property.GetColumnName(table)!, entity => ToProvider(converter, getter.GetClrValue(entity)), CopyWriter(property, converter), Encoder(property, converter, table)));
        }

        foreach (var complex in entityType.GetComplexProperties())
        {
            var outer = complex.GetGetter();
            foreach (var property in complex.ComplexType.GetProperties())
            {
                var inner = property.GetGetter();
                var converter = ConverterOf(property);
                columns.Add(new Column(
                    property.GetColumnName(table)!,
                    entity =>
                    {
                        var value = outer.GetClrValue(entity);
                        return value is null ? null : ToProvider(converter, inner.GetClrValue(value));
                    },
                    CopyWriter(property, converter),
                    Encoder(property, converter, table)));
            }
        }

        return columns;
    }

    /// <summary>
    /// Writes a column's provider value with the importer's generic <c>Write&lt;T&gt;</c> for its CLR type, resolved once
    /// per column, instead of <c>Write(object)</c>, which looks the value's type up again for every value.
    /// </summary>
    private static Action<NpgsqlBinaryImporter, object> CopyWriter(IReadOnlyProperty property, ValueConverter? converter)
    {
        var type = converter?.ProviderClrType ?? property.ClrType;
        type = Nullable.GetUnderlyingType(type) ?? type;
        return typeof(BulkInsert).GetMethod(nameof(CopyTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type)
            .CreateDelegate<Action<NpgsqlBinaryImporter, object>>();
    }

    /// <summary>The raw COPY encoder for a column's provider type and store type, when there is one.</summary>
    private static PostgresBinaryCopy.Encoder? Encoder(IReadOnlyProperty property, ValueConverter? converter, StoreObjectIdentifier table) =>
        PostgresBinaryCopy.For(converter?.ProviderClrType ?? property.ClrType, ((IProperty)property).GetColumnType(table));

    private static void CopyTyped<TValue>(NpgsqlBinaryImporter importer, object value) => importer.Write((TValue)value);

    /// <summary>The converter from a property's CLR value to what is stored, resolved once per column; null when stored as is.</summary>
    private static ValueConverter? ConverterOf(IReadOnlyProperty property) => property.GetValueConverter() ?? property.FindTypeMapping()?.Converter;

    private static object? ToProvider(ValueConverter? converter, object? value) =>
        value is null || converter is null ? value : converter.ConvertToProvider(value);

    /// <summary>
    /// Binary COPY, written synchronously: the importer buffers rows and only touches the socket when its buffer
    /// fills, so an await per value (hundreds of thousands per batch of a bulk transfer) cost more than the rare
    /// blocking flush.
    /// </summary>
    private static async Task CopyAsync<T>(NpgsqlConnection connection, string table, List<Column> columns, IReadOnlyCollection<T> rows, CancellationToken ct)
        where T : class
    {
        var names = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        await using var importer = await connection.BeginBinaryImportAsync($"COPY \"{table}\" ({names}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            importer.StartRow();
            foreach (var column in columns)
            {
                var value = column.Read(row);
                if (value is null)
                {
                    importer.WriteNull();
                }
                else
                {
                    column.Copy(importer, value);
                }
            }
        }

        await importer.CompleteAsync(ct);
    }

    private static async Task InsertValuesAsync<T>(
        DbConnection connection, DbTransaction? transaction, ISqlGenerationHelper sql, string table, List<Column> columns, IReadOnlyCollection<T> rows, int rowsPerStatement, CancellationToken ct)
        where T : class
    {
        var names = string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)));
        DbCommand? full = null;
        try
        {
            foreach (var chunk in rows.Chunk(rowsPerStatement))
            {
                var command = chunk.Length == rowsPerStatement
                    ? full ??= Prepare(connection, transaction, table, names, columns.Count, rowsPerStatement, sql)
                    : Prepare(connection, transaction, table, names, columns.Count, chunk.Length, sql);
                var p = 0;
                foreach (var row in chunk)
                {
                    foreach (var column in columns)
                    {
                        command.Parameters[p++].Value = column.Read(row) ?? DBNull.Value;
                    }
                }

                await command.ExecuteNonQueryAsync(ct);
                if (!ReferenceEquals(command, full))
                {
                    await command.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction? transaction, string table, string names, int columnCount, int rowCount, ISqlGenerationHelper sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var text = new StringBuilder($"INSERT INTO {sql.DelimitIdentifier(table)} ({names}) VALUES ");
        for (var r = 0; r < rowCount; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columnCount; c++)
            {
                var name = $"@p{(r * columnCount) + c}";
                text.Append(c == 0 ? name : ", " + name);
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }

            text.Append(')');
        }

        command.CommandText = text.ToString();
        return command;
    }
}
