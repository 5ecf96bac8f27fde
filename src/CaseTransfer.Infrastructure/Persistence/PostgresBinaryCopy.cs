using System.Buffers.Binary;
using System.Text;
using Npgsql;

namespace CaseTransfer.Infrastructure.Persistence;

/// <summary>
/// PostgreSQL's binary COPY format written directly to the raw COPY stream, for columns of the few types the model
/// stores (uuid, text and varchar, integer, bigint, boolean, bytea, timestamptz, date). Npgsql's importer binds every
/// value through its type-resolution machinery (a parameter, a converter lookup and an async write per value): a
/// bulk transfer's COPYs spent about a third of the service's CPU there. The bytes are what the importer sends: the
/// format is PostgreSQL's (<c>COPY ... FROM STDIN (FORMAT BINARY)</c>: a header, per row a field count, then per field
/// a length, -1 for null, and the type's binary send format, big-endian), so the server does the same work.
/// </summary>
internal static class PostgresBinaryCopy
{
    /// <summary>Writes one non-null provider value's field: its length, then its bytes.</summary>
    public delegate void Encoder(Writer writer, object value);

    /// <summary>The first 11 bytes of a binary COPY: <c>PGCOPY\n\377\r\n\0</c>.</summary>
    private static ReadOnlySpan<byte> Signature => [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00];

    /// <summary>Microseconds between 0001-01-01 and PostgreSQL's epoch, 2000-01-01 (UTC), in ticks.</summary>
    private const long EpochTicks = 630_822_816_000_000_000;

    private static readonly int EpochDayNumber = new DateOnly(2000, 1, 1).DayNumber;

    /// <summary>
    /// The encoder for a column whose provider value has <paramref name="clrType"/> and whose store type is
    /// <paramref name="storeType"/>; null when this writer does not know the pair (the caller then uses Npgsql's importer).
    /// </summary>
    public static Encoder? For(Type clrType, string? storeType)
    {
        var store = (storeType ?? string.Empty).ToLowerInvariant();
        var type = Nullable.GetUnderlyingType(clrType) ?? clrType;
        return type switch
        {
            _ when type == typeof(string) && (store == "text" || store.StartsWith("character varying", StringComparison.Ordinal)) => static (w, v) => w.Utf8((string)v),
            _ when type == typeof(Guid) && store == "uuid" => static (w, v) => w.Uuid((Guid)v),
            _ when type == typeof(int) && store == "integer" => static (w, v) => w.Int32Field((int)v),
            _ when type == typeof(long) && store == "bigint" => static (w, v) => w.Int64Field((long)v),
            _ when type == typeof(bool) && store == "boolean" => static (w, v) => w.Bool((bool)v),
            _ when type == typeof(byte[]) && store == "bytea" => static (w, v) => w.Bytes((byte[])v),
            _ when type == typeof(DateTimeOffset) && store == "timestamp with time zone" => static (w, v) => w.Int64Field(Timestamp((DateTimeOffset)v)),
            _ when type == typeof(DateTime) && store == "timestamp with time zone" => static (w, v) => w.Int64Field(Timestamp((DateTime)v)),
            _ when type == typeof(DateOnly) && store == "date" => static (w, v) => w.Int32Field(Date((DateOnly)v)),
            _ => null,
        };
    }

    /// <summary>As Npgsql writes a timestamptz: microseconds since 2000-01-01 UTC, the extremes as infinities.</summary>
    private static long Timestamp(DateTime value)
    {
        if (value.Kind != DateTimeKind.Utc && value != DateTime.MinValue && value != DateTime.MaxValue)
        {
            throw new ArgumentException($"Cannot write a DateTime of kind {value.Kind} to a timestamp with time zone column; only UTC.");
        }

        return value == DateTime.MinValue ? long.MinValue : value == DateTime.MaxValue ? long.MaxValue : (value.Ticks - EpochTicks) / 10;
    }

    /// <summary>As Npgsql writes a DateTimeOffset to a timestamptz: only offset 0 is accepted.</summary>
    private static long Timestamp(DateTimeOffset value) =>
        value.Offset == TimeSpan.Zero
            ? Timestamp(value.UtcDateTime)
            : throw new ArgumentException($"Cannot write a DateTimeOffset with offset {value.Offset} to a timestamp with time zone column; only offset 0 (UTC).");

    /// <summary>As Npgsql writes a date: days since 2000-01-01, the extremes as infinities.</summary>
    private static int Date(DateOnly value) =>
        value == DateOnly.MinValue ? int.MinValue : value == DateOnly.MaxValue ? int.MaxValue : value.DayNumber - EpochDayNumber;

    public static async Task CopyAsync<T>(
        NpgsqlConnection connection, string table, IReadOnlyList<string> names, IReadOnlyList<Func<object, object?>> reads, IReadOnlyList<Encoder> encoders,
        IReadOnlyCollection<T> rows, CancellationToken ct)
        where T : class
    {
        var columns = string.Join(", ", names.Select(n => $"\"{n}\""));
        var stream = await connection.BeginRawBinaryCopyAsync($"COPY \"{table}\" ({columns}) FROM STDIN (FORMAT BINARY)", ct);
        try
        {
            var writer = new Writer(stream);
            writer.Raw(Signature);
            writer.Int32(0); // flags
            writer.Int32(0); // header extension length
            foreach (var row in rows)
            {
                ct.ThrowIfCancellationRequested();
                writer.Int16((short)reads.Count);
                for (var i = 0; i < reads.Count; i++)
                {
                    if (reads[i](row) is { } value)
                    {
                        encoders[i](writer, value);
                    }
                    else
                    {
                        writer.Int32(-1);
                    }
                }
            }

            writer.Int16(-1); // trailer
            writer.Flush();
        }
        catch
        {
            // Disposing the stream would end the COPY and keep the rows sent so far; cancelling discards them. The
            // first error is the one to report: a cancel that fails too (a broken connection) must not replace it.
            try
            {
                await stream.CancelAsync();
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or ObjectDisposedException)
            {
            }
            finally
            {
                await stream.DisposeAsync();
            }

            throw;
        }

        await stream.DisposeAsync(); // ends the COPY; the server's error, if any, surfaces here
    }

    /// <summary>
    /// UTF-8 that refuses a string it cannot encode (a lone surrogate) instead of writing U+FFFD in its place: the row
    /// fails, as it does through Npgsql's parameters and SaveChanges, rather than being stored altered.
    /// </summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A growing buffer flushed to the COPY stream in large synchronous writes.</summary>
    public sealed class Writer(Stream stream)
    {
        private byte[] _buffer = new byte[64 * 1024];
        private int _length;

        public void Int16(short value) => BinaryPrimitives.WriteInt16BigEndian(Reserve(2), value);

        public void Int32(int value) => BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value);

        public void Int32Field(int value)
        {
            Int32(4);
            Int32(value);
        }

        public void Int64Field(long value)
        {
            Int32(8);
            BinaryPrimitives.WriteInt64BigEndian(Reserve(8), value);
        }

        public void Bool(bool value)
        {
            Int32(1);
            Reserve(1)[0] = value ? (byte)1 : (byte)0;
        }

        public void Uuid(Guid value)
        {
            Int32(16);
            if (!value.TryWriteBytes(Reserve(16), bigEndian: true, out _))
            {
                throw new InvalidOperationException("A uuid takes 16 bytes.");
            }
        }

        public void Utf8(string value)
        {
            var length = StrictUtf8.GetByteCount(value);
            Int32(length);
            StrictUtf8.GetBytes(value, Reserve(length));
        }

        public void Bytes(byte[] value)
        {
            Int32(value.Length);
            Raw(value);
        }

        public void Raw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

        public void Flush()
        {
            if (_length > 0)
            {
                stream.Write(_buffer, 0, _length);
                _length = 0;
            }
        }

        /// <summary>Room for the next <paramref name="count"/> bytes, which the caller fills before reserving more.</summary>
        private Span<byte> Reserve(int count)
        {
            if (_length + count > _buffer.Length)
            {
                Flush();
                if (count > _buffer.Length)
                {
                    _buffer = new byte[count];
                }
            }

            var span = _buffer.AsSpan(_length, count);
            _length += count;
            return span;
        }
    }
}
