using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace CaseTransfer.Domain.Auditing;

/// <summary>
/// A signed promise of inclusion (like Certificate Transparency's SCT): the log, holding the key, promises that the
/// entry with this id and leaf hash, accepted at <see cref="IssuedAt"/>, will be in its tree, and so in a checkpoint,
/// within <see cref="MaxMergeDelaySeconds"/>. A receipt whose entry is missing from a later checkpoint after that
/// delay is proof the log broke its promise.
/// <para>
/// Canonical signed bytes, version 1: the UTF-8 text of five lines, each ending in "\n" (no other whitespace):
/// <code>
/// case-transfer-receipt/v1
/// &lt;entry id: Guid "D" format, 36 lowercase characters&gt;
/// &lt;leaf hash: standard base64 with padding of the 32-byte RFC 9162 leaf hash&gt;
/// &lt;issued at: Unix seconds, ASCII decimal, no sign, no leading zeros&gt;
/// &lt;max merge delay: seconds, ASCII decimal, no sign, no leading zeros&gt;
/// </code>
/// Each field has exactly one encoding and parsing accepts only that, so the bytes signed are the bytes parsed. The
/// first line separates receipts from checkpoint notes signed by the same key (a checkpoint's second line is a
/// decimal tree size, never a GUID). The signature is Ed25519 over those bytes with the log's note key.
/// </para>
/// <para>
/// Header value (token): <c>v1.&lt;base64url(canonical text)&gt;.&lt;base64url(64-byte signature)&gt;</c>, base64url
/// per RFC 4648 section 5 without padding. A new encoding gets a new version prefix on both the token and the text.
/// </para>
/// </summary>
public sealed class AuditReceipt
{
    /// <summary>The token prefix of this encoding version.</summary>
    public const string TokenVersion = "v1";

    /// <summary>The first line of the canonical text of this encoding version.</summary>
    public const string CanonicalHeader = "case-transfer-receipt/v1";

    private const int SignatureLength = 64;

    private readonly byte[] leafHash;
    private readonly byte[] signature;

    private AuditReceipt(Guid entryId, byte[] leafHash, DateTimeOffset issuedAt, int maxMergeDelaySeconds, byte[] signature)
    {
        EntryId = entryId;
        this.leafHash = leafHash;
        IssuedAt = issuedAt;
        MaxMergeDelaySeconds = maxMergeDelaySeconds;
        this.signature = signature;
    }

    public Guid EntryId { get; }

    /// <summary>A copy of the 32-byte RFC 9162 leaf hash of the entry.</summary>
    public byte[] LeafHash => (byte[])leafHash.Clone();

    /// <summary>When the log accepted the entry, UTC, in whole seconds.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>The longest the log may take to include the entry in its tree.</summary>
    public int MaxMergeDelaySeconds { get; }

    /// <summary>A copy of the 64-byte Ed25519 signature over <see cref="CanonicalBytes"/>.</summary>
    public byte[] Signature => (byte[])signature.Clone();

    /// <summary>The version 1 canonical text (see the class remarks).</summary>
    public string CanonicalText => FormatCanonical(EntryId, leafHash, IssuedAt, MaxMergeDelaySeconds);

    /// <summary>UTF-8 of <see cref="CanonicalText"/>: the bytes the signature covers.</summary>
    public byte[] CanonicalBytes => Encoding.UTF8.GetBytes(CanonicalText);

    /// <summary>The header value: <c>v1.base64url(canonical text).base64url(signature)</c>.</summary>
    public string Token => $"{TokenVersion}.{Base64Url.EncodeToString(CanonicalBytes)}.{Base64Url.EncodeToString(signature)}";

    /// <summary>
    /// Issues and signs a receipt. <paramref name="issuedAt"/> is converted to UTC and truncated to whole seconds
    /// (the precision of the encoding); it must not be before the Unix epoch.
    /// </summary>
    public static AuditReceipt Create(Guid entryId, byte[] leafHash, DateTimeOffset issuedAt, int maxMergeDelaySeconds, NoteSigner logKey)
    {
        MerkleTree.RequireHash(leafHash, nameof(leafHash));
        ArgumentOutOfRangeException.ThrowIfNegative(maxMergeDelaySeconds);
        var seconds = issuedAt.ToUnixTimeSeconds();
        ArgumentOutOfRangeException.ThrowIfNegative(seconds, nameof(issuedAt));

        var at = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var copy = (byte[])leafHash.Clone();
        var text = FormatCanonical(entryId, copy, at, maxMergeDelaySeconds);
        return new AuditReceipt(entryId, copy, at, maxMergeDelaySeconds, logKey.SignData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Parses a header value (token). This checks the form only; call <see cref="Verify"/>.</summary>
    /// <exception cref="FormatException">The token is not a well-formed version 1 receipt.</exception>
    public static AuditReceipt Parse(string header) =>
        TryParse(header, out var receipt) ? receipt : throw new FormatException("Not a well-formed v1 audit receipt.");

    /// <summary>Parses a header value strictly (see <see cref="Parse"/>).</summary>
    public static bool TryParse(string? header, [NotNullWhen(true)] out AuditReceipt? receipt)
    {
        receipt = null;
        var parts = header?.Split('.');
        if (parts is not { Length: 3 } || parts[0] != TokenVersion
            || !TryDecodeBase64Url(parts[1], out var canonical) || !TryDecodeBase64Url(parts[2], out var signature)
            || signature.Length != SignatureLength)
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(canonical);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var lines = text.Split('\n');
        if (lines.Length != 6 || lines[5].Length != 0 || lines[0] != CanonicalHeader
            || !Guid.TryParseExact(lines[1], "D", out var entryId)
            || !SignedNote.TryDecodeBase64(lines[2], out var leafHash) || leafHash.Length != MerkleTree.HashLength
            || !TryParseDecimal(lines[3], long.MaxValue, out var seconds) || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || !TryParseDecimal(lines[4], int.MaxValue, out var delay))
        {
            return false;
        }

        var candidate = new AuditReceipt(entryId, leafHash, DateTimeOffset.FromUnixTimeSeconds(seconds), (int)delay, signature);

        // Exactly one encoding per receipt: reject anything that does not re-encode to the same bytes (e.g. an
        // upper-case GUID), so the signed bytes and the parsed fields cannot disagree.
        if (candidate.CanonicalText != text)
        {
            return false;
        }

        receipt = candidate;
        return true;
    }

    /// <summary>Whether the signature is the log key's Ed25519 signature over the canonical bytes.</summary>
    public bool Verify(NoteVerifier logKey) => logKey.VerifySignature(CanonicalBytes, signature);

    private static string FormatCanonical(Guid entryId, byte[] leafHash, DateTimeOffset issuedAt, int maxMergeDelaySeconds) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{CanonicalHeader}\n{entryId:D}\n{Convert.ToBase64String(leafHash)}\n{issuedAt.ToUnixTimeSeconds()}\n{maxMergeDelaySeconds}\n");

    private static bool TryParseDecimal(string text, long max, out long value)
    {
        value = 0;
        return text.Length is > 0 and <= 19 && text.All(char.IsAsciiDigit) && (text.Length == 1 || text[0] != '0')
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;
    }

    private static bool TryDecodeBase64Url(string text, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (text.Length == 0 || text.Contains('=') || !Base64Url.IsValid(text))
        {
            return false;
        }

        var decoded = Base64Url.DecodeFromChars(text);
        if (Base64Url.EncodeToString(decoded) != text)
        {
            return false;
        }

        bytes = decoded;
        return true;
    }
}
