using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace CaseTransfer.Domain.Auditing;

/// <summary>
/// The public half of a C2SP signed-note Ed25519 key (https://c2sp.org/signed-note): a key name, the 4-byte key id
/// and the 32-byte public key. Its text form, the verifier key, is
/// <c>&lt;name&gt;+&lt;key id as 8 lowercase hex digits&gt;+&lt;base64(0x01 || public key)&gt;</c>, e.g.
/// <c>PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW</c>, the same as Go's
/// golang.org/x/mod/sumdb/note, so a checkpoint signed here can be checked by any C2SP tool.
/// </summary>
public sealed class NoteVerifier
{
    /// <summary>The signature type byte for Ed25519 in signed-note keys and key ids.</summary>
    public const byte Ed25519SignatureType = 0x01;

    private readonly PublicKey publicKey;
    private readonly byte[] publicKeyBytes;

    private NoteVerifier(string name, PublicKey publicKey, byte[] publicKeyBytes)
    {
        Name = name;
        this.publicKey = publicKey;
        this.publicKeyBytes = publicKeyBytes;
        KeyId = ComputeKeyId(name, publicKeyBytes);
        VerifierKey = string.Create(
            CultureInfo.InvariantCulture,
            $"{name}+{KeyId:x8}+{Convert.ToBase64String([Ed25519SignatureType, .. publicKeyBytes])}");
    }

    /// <summary>The key name (for a log, its origin), non-empty, with no whitespace and no '+'.</summary>
    public string Name { get; }

    /// <summary>The first 4 bytes, big-endian, of SHA-256(name || 0x0A || 0x01 || public key).</summary>
    public uint KeyId { get; }

    /// <summary>The verifier key text: <c>name+hex(key id)+base64(0x01 || public key)</c>.</summary>
    public string VerifierKey { get; }

    /// <summary>A copy of the raw 32-byte Ed25519 public key.</summary>
    public byte[] PublicKeyBytes => (byte[])publicKeyBytes.Clone();

    /// <summary>Key id = first 4 bytes (big-endian) of SHA-256(UTF-8 name || 0x0A || 0x01 || 32-byte public key).</summary>
    public static uint ComputeKeyId(string name, ReadOnlySpan<byte> ed25519PublicKey)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var hash = SHA256.HashData([.. nameBytes, 0x0A, Ed25519SignatureType, .. ed25519PublicKey]);
        return BinaryPrimitives.ReadUInt32BigEndian(hash);
    }

    /// <summary>A verifier for a raw 32-byte Ed25519 public key under <paramref name="name"/>.</summary>
    public static NoteVerifier FromPublicKey(string name, ReadOnlySpan<byte> ed25519PublicKey)
    {
        if (!SignedNote.IsValidKeyName(name))
        {
            throw new ArgumentException("A key name is non-empty and has no whitespace, control character or '+'.", nameof(name));
        }

        if (ed25519PublicKey.Length != 32
            || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, ed25519PublicKey, KeyBlobFormat.RawPublicKey, out var key))
        {
            throw new ArgumentException("An Ed25519 public key is 32 bytes.", nameof(ed25519PublicKey));
        }

        return new NoteVerifier(name, key!, ed25519PublicKey.ToArray());
    }

    /// <summary>Parses a verifier key string; throws <see cref="FormatException"/> if it is malformed, is not
    /// Ed25519, or its key id does not match its name and key.</summary>
    public static NoteVerifier Parse(string verifierKey) =>
        TryParse(verifierKey, out var verifier) ? verifier : throw new FormatException("Not a valid Ed25519 signed-note verifier key.");

    /// <summary>Parses a verifier key string (see <see cref="Parse"/>).</summary>
    public static bool TryParse(string? verifierKey, [NotNullWhen(true)] out NoteVerifier? verifier)
    {
        verifier = null;
        if (verifierKey is null)
        {
            return false;
        }

        // The name cannot contain '+', and the hex id cannot either; base64 may, so split at most three ways.
        var parts = verifierKey.Split('+', 3);
        if (parts.Length != 3 || !SignedNote.IsValidKeyName(parts[0]) || parts[1].Length != 8
            || !parts[1].All(char.IsAsciiHexDigit)
            || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var keyId))
        {
            return false;
        }

        if (!SignedNote.TryDecodeBase64(parts[2], out var key) || key.Length != 33 || key[0] != Ed25519SignatureType)
        {
            return false;
        }

        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, key.AsSpan(1), KeyBlobFormat.RawPublicKey, out var publicKey))
        {
            return false;
        }

        var candidate = new NoteVerifier(parts[0], publicKey!, key[1..]);
        if (candidate.KeyId != keyId)
        {
            return false;
        }

        verifier = candidate;
        return true;
    }

    /// <summary>Whether <paramref name="signature"/> is a valid Ed25519 signature of <paramref name="message"/>.</summary>
    public bool VerifySignature(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureAlgorithm.Ed25519.SignatureSize
        && SignatureAlgorithm.Ed25519.Verify(publicKey, message, signature);

    /// <inheritdoc />
    public override string ToString() => VerifierKey;
}

/// <summary>
/// The private half of a C2SP signed-note Ed25519 key: a key name and an Ed25519 private key, created from a 32-byte
/// seed (RFC 8032 private key). Holds native key material, so dispose it.
/// </summary>
public sealed class NoteSigner : IDisposable
{
    private readonly Key key;

    private NoteSigner(string name, Key key)
    {
        this.key = key;
        Name = name;
        Verifier = NoteVerifier.FromPublicKey(name, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The key name (for a log, its origin).</summary>
    public string Name { get; }

    /// <summary>The 4-byte key id, see <see cref="NoteVerifier.ComputeKeyId"/>.</summary>
    public uint KeyId => Verifier.KeyId;

    /// <summary>The matching verifier.</summary>
    public NoteVerifier Verifier { get; }

    /// <summary>The verifier key string to publish: <c>name+hex(key id)+base64(0x01 || public key)</c>.</summary>
    public string VerifierKey => Verifier.VerifierKey;

    /// <summary>A signer from a 32-byte Ed25519 seed (keep the seed secret; it is the whole private key).</summary>
    public static NoteSigner FromSeed(string name, ReadOnlySpan<byte> seed)
    {
        if (!SignedNote.IsValidKeyName(name))
        {
            throw new ArgumentException("A key name is non-empty and has no whitespace, control character or '+'.", nameof(name));
        }

        if (seed.Length != 32)
        {
            throw new ArgumentException("An Ed25519 seed is 32 bytes.", nameof(seed));
        }

        return new NoteSigner(name, Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey));
    }

    /// <summary>Signs <paramref name="message"/> with Ed25519 (64 bytes, deterministic).</summary>
    public byte[] SignData(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(key, message);

    /// <inheritdoc />
    public void Dispose() => key.Dispose();
}

/// <summary>
/// The outcome of <see cref="SignedNote.Verify"/>: the verified body, or why not, and whether that is because the note is
/// not a well-formed signed note at all (<see cref="IsMalformed"/>) rather than not signed by the key.
/// </summary>
public sealed record SignedNoteVerification(string? Body, string? Failure, bool IsMalformed = false)
{
    /// <summary>Whether the note carried a valid signature by the key and was well formed.</summary>
    [MemberNotNullWhen(true, nameof(Body))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsVerified => Body is not null;

    internal static SignedNoteVerification Verified(string body) => new(body, null);

    internal static SignedNoteVerification Failed(string failure) => new(null, failure);

    internal static SignedNoteVerification Malformed(string failure) => new(null, failure, IsMalformed: true);
}

/// <summary>
/// C2SP signed notes (https://c2sp.org/signed-note), Ed25519 only. A note is
/// <code>
/// body            UTF-8 text, non-empty, ending in "\n", no control characters other than "\n"
/// "\n"            a blank line
/// signature lines each "— " (U+2014 EM DASH, U+0020) + key name + " " + base64(key id (4 bytes, big-endian) || Ed25519 signature (64 bytes)) + "\n"
/// </code>
/// The signature covers the body bytes exactly, including its final newline and not the blank line. Base64 is the
/// standard alphabet with padding (RFC 4648 section 4). Verification splits at the last blank line, as Go's
/// golang.org/x/mod/sumdb/note does.
/// </summary>
public static class SignedNote
{
    /// <summary>Notes with more signature lines than this are rejected as malformed (Go's limit too).</summary>
    public const int MaxSignatures = 100;

    private const string SignaturePrefix = "\u2014 ";

    /// <summary>Signs <paramref name="body"/> and returns the note <c>body + "\n" + "— name base64(id||sig)\n"</c>.</summary>
    /// <exception cref="ArgumentException">The body is not valid note text.</exception>
    public static string Sign(string body, NoteSigner signer)
    {
        if (!IsValidText(body))
        {
            throw new ArgumentException("Note text is non-empty UTF-8 ending in a newline, with no other control characters.", nameof(body));
        }

        var signature = signer.SignData(Encoding.UTF8.GetBytes(body));
        var blob = new byte[4 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(blob, signer.KeyId);
        signature.CopyTo(blob, 4);
        return $"{body}\n{SignaturePrefix}{signer.Name} {Convert.ToBase64String(blob)}\n";
    }

    /// <summary>
    /// Verifies <paramref name="note"/> against one key. It is verified when it is well formed, has at least one
    /// signature line whose name and key id are the key's, and every such line's signature is valid; lines from
    /// other keys are ignored (they may be witnesses' cosignatures). Never throws.
    /// </summary>
    public static SignedNoteVerification Verify(string note, NoteVerifier verifier)
    {
        if (!TryRead(note, out var body, out var signatures, out var malformation))
        {
            return SignedNoteVerification.Malformed($"malformed note: {malformation}");
        }

        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var matched = 0;
        foreach (var (name, keyId, signature) in signatures)
        {
            if (name != verifier.Name || keyId != verifier.KeyId)
            {
                continue;
            }

            if (!verifier.VerifySignature(bodyBytes, signature))
            {
                return SignedNoteVerification.Failed($"invalid signature for key {verifier.Name}+{verifier.KeyId:x8}");
            }

            matched++;
        }

        return matched > 0
            ? SignedNoteVerification.Verified(body)
            : SignedNoteVerification.Failed($"no signature by key {verifier.Name}+{verifier.KeyId:x8}");
    }

    /// <summary>
    /// Reads a note's text without checking any signature: the text when the note is well formed (its signature lines
    /// included), otherwise what is wrong with it, in words a person can act on. Never throws.
    /// </summary>
    public static bool TryReadText(string? note, [NotNullWhen(true)] out string? body, [NotNullWhen(false)] out string? malformation) =>
        TryRead(note, out body, out _, out malformation);

    private static bool TryRead(
        string? note,
        [NotNullWhen(true)] out string? body,
        out List<(string Name, uint KeyId, byte[] Signature)> signatures,
        [NotNullWhen(false)] out string? malformation)
    {
        body = null;
        signatures = [];
        malformation = Malformation(note);
        if (malformation is not null)
        {
            return false;
        }

        // Go's golang.org/x/mod/sumdb/note splits at the last blank line too.
        var split = note!.LastIndexOf("\n\n", StringComparison.Ordinal);
        var lines = note[(split + 2)..^1].Split('\n');
        if (lines.Length > MaxSignatures)
        {
            malformation = $"it has more than {MaxSignatures} signature lines";
            return false;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            if (!TryParseSignatureLine(lines[i], out var name, out var keyId, out var signature))
            {
                malformation = $"signature line {i + 1} is not \"{SignaturePrefix}<key name> <base64 key id and signature>\"";
                return false;
            }

            signatures.Add((name, keyId, signature));
        }

        body = note[..(split + 1)];
        return true;
    }

    /// <summary>What is wrong with the note's outline (text, a blank line, signature lines), or null when nothing is.</summary>
    private static string? Malformation(string? note)
    {
        if (string.IsNullOrEmpty(note))
        {
            return "it is empty";
        }

        if (!IsValidUtf8WithoutControls(note))
        {
            return "it holds a control character other than a newline, or a broken character";
        }

        if (!note.EndsWith('\n'))
        {
            return "it does not end with a newline";
        }

        if (note.EndsWith("\n\n", StringComparison.Ordinal))
        {
            return note.TrimEnd('\n').Contains("\n\n", StringComparison.Ordinal)
                ? "it ends with a blank line (an extra newline after its last signature line)"
                : "no signature lines follow its text";
        }

        return note.Contains("\n\n", StringComparison.Ordinal) ? null : "it has no blank line between its text and its signature lines";
    }

    /// <summary>A key name: non-empty, no whitespace, no control characters, no '+'.</summary>
    public static bool IsValidKeyName(string? name) =>
        !string.IsNullOrEmpty(name)
        && IsValidUtf8WithoutControls(name)
        && !name.Any(c => c == '+' || char.IsWhiteSpace(c));

    internal static bool IsValidText(string? text) =>
        !string.IsNullOrEmpty(text) && text.EndsWith('\n') && IsValidUtf8WithoutControls(text);

    internal static bool TryDecodeBase64(string text, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            return false;
        }

        var decoded = buffer[..written];

        // Only the canonical encoding: no whitespace (which .NET tolerates) and no stray padding bits.
        if (Convert.ToBase64String(decoded) != text)
        {
            return false;
        }

        bytes = decoded;
        return true;
    }

    private static bool TryParseSignatureLine(string line, out string name, out uint keyId, out byte[] signature)
    {
        name = string.Empty;
        keyId = 0;
        signature = [];
        if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = line[SignaturePrefix.Length..];
        var space = rest.LastIndexOf(' ');
        if (space <= 0 || !IsValidKeyName(rest[..space]) || !TryDecodeBase64(rest[(space + 1)..], out var blob) || blob.Length < 5)
        {
            return false;
        }

        name = rest[..space];
        keyId = BinaryPrimitives.ReadUInt32BigEndian(blob);
        signature = blob[4..];
        return true;
    }

    private static bool IsValidUtf8WithoutControls(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x20 && c != '\n')
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
