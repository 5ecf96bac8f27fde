using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace CaseTransfer.Domain.Auditing;

/// <summary>
/// The canonical bytes of an audit entry: the leaf data of the transparency log (RFC 9162 leaf hash =
/// SHA-256(0x00 || these bytes)). Version 1 is a JSON object with exactly these members, in this order, no
/// whitespace, strings escaped as System.Text.Json does by default (non-ASCII and the characters &lt; &gt; &amp; ' + `
/// as \uXXXX), absent values as null:
/// <c>v</c> (1), <c>id</c> (lowercase GUID), <c>occurredAt</c> (UTC, <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>),
/// <c>operation</c>, <c>action</c>, <c>actorUserId</c>, <c>actorUserName</c>, <c>actorOrganisation</c>,
/// <c>clientId</c>, <c>traceId</c>, <c>crn</c>, <c>resourceType</c>, <c>resourceId</c>, <c>resourceVersion</c>
/// (number), <c>summary</c>, <c>justification</c>, <c>recipients</c>.
/// The database's own sequence number is not part of it: the position in the log is the leaf index.
/// </summary>
public static class AuditEntryEncoding
{
    public const int Version = 1;

    public static byte[] Encode(AuditEntry entry) => Encode(entry.Fields);

    public static byte[] Encode(in AuditEntryFields entry)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, entry);
        }

        return buffer.WrittenSpan.ToArray();
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static byte[] LeafHash(AuditEntry entry) => LeafHash(entry.Fields);

    /// <summary>
    /// SHA-256(0x00 || encoding): the entry's leaf hash. Encodes into a per-thread buffer after the 0x00 prefix and
    /// hashes it in one call, so verifying a million entries does not allocate a million encodings.
    /// </summary>
    public static byte[] LeafHash(in AuditEntryFields entry)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        buffer.GetSpan(1)[0] = 0x00;
        buffer.Advance(1);
        var json = t_writer ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        Write(json, entry);
        json.Flush();
        return SHA256.HashData(buffer.WrittenSpan);
    }

    // Pre-encoded member names: the writer then neither validates nor escapes them per entry (verification encodes a
    // million entries).
    private static readonly JsonEncodedText V = JsonEncodedText.Encode("v");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText OccurredAt = JsonEncodedText.Encode("occurredAt");
    private static readonly JsonEncodedText Operation = JsonEncodedText.Encode("operation");
    private static readonly JsonEncodedText Action = JsonEncodedText.Encode("action");
    private static readonly JsonEncodedText ActorUserId = JsonEncodedText.Encode("actorUserId");
    private static readonly JsonEncodedText ActorUserName = JsonEncodedText.Encode("actorUserName");
    private static readonly JsonEncodedText ActorOrganisation = JsonEncodedText.Encode("actorOrganisation");
    private static readonly JsonEncodedText ClientId = JsonEncodedText.Encode("clientId");
    private static readonly JsonEncodedText TraceId = JsonEncodedText.Encode("traceId");
    private static readonly JsonEncodedText Crn = JsonEncodedText.Encode("crn");
    private static readonly JsonEncodedText ResourceType = JsonEncodedText.Encode("resourceType");
    private static readonly JsonEncodedText ResourceId = JsonEncodedText.Encode("resourceId");
    private static readonly JsonEncodedText ResourceVersion = JsonEncodedText.Encode("resourceVersion");
    private static readonly JsonEncodedText Summary = JsonEncodedText.Encode("summary");
    private static readonly JsonEncodedText Justification = JsonEncodedText.Encode("justification");
    private static readonly JsonEncodedText Recipients = JsonEncodedText.Encode("recipients");

    private static void Write(Utf8JsonWriter json, in AuditEntryFields entry)
    {
        json.WriteStartObject();
        json.WriteNumber(V, Version);
        json.WriteString(Id, entry.Id); // lowercase "D" format
        json.WriteString(OccurredAt, FormatInstant(entry.OccurredAt, stackalloc byte[27]));
        json.WriteString(Operation, entry.Operation);
        json.WriteString(Action, entry.Action);
        json.WriteString(ActorUserId, entry.ActorUserId);
        json.WriteString(ActorUserName, entry.ActorUserName);
        json.WriteString(ActorOrganisation, entry.ActorOrganisation);
        json.WriteString(ClientId, entry.ClientId);
        json.WriteString(TraceId, entry.TraceId);
        json.WriteString(Crn, entry.Crn);
        json.WriteString(ResourceType, entry.ResourceType);
        json.WriteString(ResourceId, entry.ResourceId);
        if (entry.ResourceVersion is { } version)
        {
            json.WriteNumber(ResourceVersion, version);
        }
        else
        {
            json.WriteNull(ResourceVersion);
        }

        json.WriteString(Summary, entry.Summary);
        json.WriteString(Justification, entry.Justification);
        json.WriteString(Recipients, entry.Recipients);
        json.WriteEndObject();
    }

    /// <summary><c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c> in UTC, digits written directly (a custom format string is parsed on every call).</summary>
    private static ReadOnlySpan<byte> FormatInstant(DateTimeOffset at, Span<byte> into)
    {
        var utc = at.UtcDateTime;
        Digits(into[..4], utc.Year);
        into[4] = (byte)'-';
        Digits(into[5..7], utc.Month);
        into[7] = (byte)'-';
        Digits(into[8..10], utc.Day);
        into[10] = (byte)'T';
        Digits(into[11..13], utc.Hour);
        into[13] = (byte)':';
        Digits(into[14..16], utc.Minute);
        into[16] = (byte)':';
        Digits(into[17..19], utc.Second);
        into[19] = (byte)'.';
        Digits(into[20..26], (int)(utc.Ticks % TimeSpan.TicksPerSecond / 10));
        into[26] = (byte)'Z';
        return into;
    }

    private static void Digits(Span<byte> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}

/// <summary>
/// What the canonical encoding covers, as stored: the verifier reads these straight from the database and so hashes
/// exactly the stored text (an operation or CRN altered to something the domain types would not accept is then a
/// changed entry, not a failure to read).
/// </summary>
public readonly record struct AuditEntryFields(
    Guid Id,
    DateTimeOffset OccurredAt,
    string Operation,
    string Action,
    string ActorUserId,
    string ActorUserName,
    string ActorOrganisation,
    string? ClientId,
    string TraceId,
    string? Crn,
    string? ResourceType,
    string? ResourceId,
    long? ResourceVersion,
    string? Summary,
    string? Justification,
    string? Recipients);

/// <summary>
/// A leaf of the log: the entry at this position and its leaf hash as integrated. Append-only: the integrator
/// inserts leaves at the next free index and never changes one.
/// </summary>
public sealed class AuditLeaf
{
    private AuditLeaf()
    {
    }

    public AuditLeaf(long leafIndex, long entrySequence, byte[] leafHash, DateTimeOffset integratedAt)
    {
        LeafIndex = leafIndex;
        EntrySequence = entrySequence;
        LeafHash = leafHash;
        IntegratedAt = AuditEntry.TruncateToMicroseconds(integratedAt);
    }

    public long LeafIndex { get; private set; }
    public long EntrySequence { get; private set; }
    public byte[] LeafHash { get; private set; } = null!;
    public DateTimeOffset IntegratedAt { get; private set; }
}

/// <summary>
/// The hash of a complete subtree of 2^<see cref="Level"/> leaves starting at leaf <see cref="Index"/> × 2^Level
/// (levels 1 and up; level 0 is the leaves). Stored as the tree grows, so any proof needs O(log n) reads.
/// </summary>
public sealed class AuditTreeNode
{
    private AuditTreeNode()
    {
    }

    public AuditTreeNode(int level, long index, byte[] hash)
    {
        Level = level;
        Index = index;
        Hash = hash;
    }

    public int Level { get; private set; }
    public long Index { get; private set; }
    public byte[] Hash { get; private set; } = null!;
}

/// <summary>A signed checkpoint (C2SP tlog-checkpoint in a signed note) as the service issued it.</summary>
public sealed class AuditCheckpoint
{
    private AuditCheckpoint()
    {
    }

    public AuditCheckpoint(long treeSize, byte[] rootHash, string note, DateTimeOffset signedAt)
    {
        TreeSize = treeSize;
        RootHash = rootHash;
        Note = note;
        SignedAt = AuditEntry.TruncateToMicroseconds(signedAt);
    }

    public long TreeSize { get; private set; }
    public byte[] RootHash { get; private set; } = null!;
    public string Note { get; private set; } = null!;
    public DateTimeOffset SignedAt { get; private set; }
}

/// <summary>
/// The right edge of the tree: the complete subtrees that make up a tree of a given size (one per set bit of the
/// size, largest first). Appending a leaf merges equal-sized neighbours, yielding the new stored nodes.
/// </summary>
public sealed class MerkleFrontier
{
    private readonly List<(int Level, long Index, byte[] Hash)> _peaks;

    public MerkleFrontier(long size, IEnumerable<(int Level, long Index, byte[] Hash)> peaks)
    {
        Size = size;
        _peaks = [.. peaks];
    }

    public long Size { get; private set; }

    public IReadOnlyList<(int Level, long Index, byte[] Hash)> Peaks => _peaks;

    /// <summary>The (level, index) of each peak of a tree of <paramref name="size"/> leaves, largest first.</summary>
    public static IEnumerable<(int Level, long Index)> PeakPositions(long size)
    {
        long start = 0;
        for (var level = 62; level >= 0; level--)
        {
            var width = 1L << level;
            if ((size & width) != 0)
            {
                yield return (level, start >> level);
                start += width;
            }
        }
    }

    /// <summary>Appends a leaf; returns the complete subtrees (level 1 and up) it completed.</summary>
    public IReadOnlyList<AuditTreeNode> Append(byte[] leafHash)
    {
        var created = new List<AuditTreeNode>();
        _peaks.Add((0, Size, leafHash));
        Size++;
        while (_peaks.Count >= 2 && _peaks[^1].Level == _peaks[^2].Level)
        {
            var right = _peaks[^1];
            var left = _peaks[^2];
            _peaks.RemoveRange(_peaks.Count - 2, 2);
            var merged = (left.Level + 1, left.Index / 2, MerkleTree.NodeHash(left.Hash, right.Hash));
            _peaks.Add(merged);
            created.Add(new AuditTreeNode(merged.Item1, merged.Item2, merged.Item3));
        }

        return created;
    }

    /// <summary>The RFC 9162 root of the tree so far.</summary>
    public byte[] RootHash()
    {
        if (_peaks.Count == 0)
        {
            return MerkleTree.EmptyRootHash();
        }

        var hash = _peaks[^1].Hash;
        for (var i = _peaks.Count - 2; i >= 0; i--)
        {
            hash = MerkleTree.NodeHash(_peaks[i].Hash, hash);
        }

        return hash;
    }
}
