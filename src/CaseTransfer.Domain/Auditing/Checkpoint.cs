using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace CaseTransfer.Domain.Auditing;

/// <summary>
/// A C2SP tlog-checkpoint body (https://c2sp.org/tlog-checkpoint): the log's commitment to its tree at one size.
/// <code>
/// &lt;origin&gt;\n                 unique log identity, non-empty, conventionally the key name; no control characters
/// &lt;tree size&gt;\n              ASCII decimal, no sign, no leading zeros (except "0")
/// &lt;base64 root hash&gt;\n       standard base64 with padding of the 32-byte RFC 9162 root hash
/// [&lt;extension line&gt;\n ...]   optional, each non-empty, opaque
/// </code>
/// It becomes a checkpoint once signed as a <see cref="SignedNote"/> by the log's key (see <see cref="Sign"/>).
/// </summary>
public sealed class Checkpoint
{
    private readonly byte[] rootHash;

    public Checkpoint(string origin, long treeSize, byte[] rootHash, IReadOnlyList<string>? extensions = null)
    {
        if (string.IsNullOrEmpty(origin) || !SignedNote.IsValidText(origin + "\n") || origin.Contains('\n'))
        {
            throw new ArgumentException("A checkpoint origin is one non-empty line without control characters.", nameof(origin));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        MerkleTree.RequireHash(rootHash, nameof(rootHash));
        var lines = (extensions ?? []).ToArray();
        if (lines.Any(line => string.IsNullOrEmpty(line) || line.Contains('\n') || !SignedNote.IsValidText(line + "\n")))
        {
            throw new ArgumentException("Each extension line is non-empty, one line, without control characters.", nameof(extensions));
        }

        Origin = origin;
        TreeSize = treeSize;
        this.rootHash = (byte[])rootHash.Clone();
        Extensions = lines;
    }

    public string Origin { get; }

    public long TreeSize { get; }

    /// <summary>A copy of the 32-byte root hash.</summary>
    public byte[] RootHash => (byte[])rootHash.Clone();

    public IReadOnlyList<string> Extensions { get; }

    /// <summary>Parses a checkpoint body (the verified text of the note, not the signed note itself).</summary>
    /// <exception cref="FormatException">The body is not a well-formed checkpoint.</exception>
    public static Checkpoint Parse(string body) =>
        TryParse(body, out var checkpoint) ? checkpoint : throw new FormatException("Not a well-formed checkpoint body.");

    /// <summary>Parses a checkpoint body strictly: the exact bytes <see cref="Format"/> would produce.</summary>
    public static bool TryParse(string? body, [NotNullWhen(true)] out Checkpoint? checkpoint) => TryParse(body, out checkpoint, out _);

    /// <summary>Parses a checkpoint body strictly, or says what is wrong with it.</summary>
    public static bool TryParse(string? body, [NotNullWhen(true)] out Checkpoint? checkpoint, [NotNullWhen(false)] out string? problem)
    {
        checkpoint = null;
        problem = Problem(body, out var lines, out var treeSize, out var root);
        if (problem is not null)
        {
            return false;
        }

        checkpoint = new Checkpoint(lines[0], treeSize, root!, lines[3..]);
        return true;
    }

    private static string? Problem(string? body, out string[] lines, out long treeSize, out byte[]? root)
    {
        lines = [];
        treeSize = 0;
        root = null;
        if (body is null || !SignedNote.IsValidText(body))
        {
            return "it is not note text (non-empty, ending in a newline, no other control characters)";
        }

        lines = body[..^1].Split('\n');
        if (lines.Length < 3)
        {
            return "it has fewer than three lines (origin, tree size, root hash)";
        }

        if (lines[0].Length == 0)
        {
            return "its origin line is empty";
        }

        if (lines.Skip(3).Any(line => line.Length == 0))
        {
            return "it has a blank line after its root hash";
        }

        var size = lines[1];
        if (size.Length == 0 || size.Length > 19 || !size.All(char.IsAsciiDigit) || (size.Length > 1 && size[0] == '0')
            || !long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out treeSize))
        {
            return "its tree size is not a decimal number without sign or leading zeros";
        }

        return SignedNote.TryDecodeBase64(lines[2], out root) && root.Length == MerkleTree.HashLength
            ? null
            : "its root hash is not the standard base64 of 32 bytes";
    }

    /// <summary>Verifies a signed checkpoint note with the log's key and parses its body.</summary>
    public static bool TryOpen(string note, NoteVerifier logKey, [NotNullWhen(true)] out Checkpoint? checkpoint)
    {
        checkpoint = Open(note, logKey).Checkpoint;
        return checkpoint is not null;
    }

    /// <summary>
    /// Opens a signed checkpoint note with the log's key, telling apart a note that is not a well-formed signed
    /// checkpoint at all (a person can say what to mend, for example an extra blank line at the end) from a well-formed
    /// one whose signature does not verify with the key (signed by another key, or altered after signing).
    /// </summary>
    public static CheckpointOpening Open(string? note, NoteVerifier logKey)
    {
        if (!SignedNote.TryReadText(note, out var body, out var malformation))
        {
            return new CheckpointOpening(null, $"it is not a signed note: {malformation}", null);
        }

        if (!TryParse(body, out _, out var problem))
        {
            return new CheckpointOpening(null, $"its text is not a checkpoint: {problem}", null);
        }

        var verification = SignedNote.Verify(note!, logKey);
        return verification.IsVerified
            ? new CheckpointOpening(Parse(verification.Body), null, null)
            : new CheckpointOpening(null, null, verification.Failure);
    }

    /// <summary>The body text: origin, size, base64 root, extensions, each followed by "\n".</summary>
    public string Format()
    {
        var text = new StringBuilder()
            .Append(Origin).Append('\n')
            .Append(TreeSize.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(Convert.ToBase64String(rootHash)).Append('\n');
        foreach (var extension in Extensions)
        {
            text.Append(extension).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The signed note of this checkpoint.</summary>
    public string Sign(NoteSigner logKey) => SignedNote.Sign(Format(), logKey);

    /// <inheritdoc />
    public override string ToString() => Format();
}

/// <summary>
/// The outcome of <see cref="Checkpoint.Open"/>: the checkpoint; or why the note is not a well-formed signed checkpoint
/// (<see cref="Malformed"/>); or why a well-formed one does not verify with the key (<see cref="Unverified"/>).
/// </summary>
public sealed record CheckpointOpening(Checkpoint? Checkpoint, string? Malformed, string? Unverified);
