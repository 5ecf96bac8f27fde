using System.Numerics;
using System.Security.Cryptography;

namespace CaseTransfer.Domain.Auditing;

/// <summary>
/// Supplies the hash of a <em>complete</em> subtree of a Merkle tree: the range of leaves <c>[start, end)</c> where
/// <c>end - start</c> is a power of two and <c>start</c> is a multiple of it (the nodes of RFC 9162's tree that
/// never change once written). Proof generation asks only for such nodes, at most about 2·log2(n) of them per proof,
/// so a store that keeps (or memoises) them by (level, index) serves a proof over a million leaves in microseconds.
/// </summary>
public interface IMerkleNodeSource
{
    /// <summary>The hash of the complete subtree over leaves <c>[start, end)</c> (for one leaf: its leaf hash).</summary>
    byte[] SubtreeHash(long start, long end);
}

/// <summary>Ready-made <see cref="IMerkleNodeSource"/> implementations.</summary>
public static class MerkleNodeSource
{
    /// <summary>
    /// Computes each subtree from a list of leaf hashes. O(end - start) per call, so a proof costs O(n): right for
    /// tests and small trees, not for serving proofs from a large log (use <see cref="MerkleNodeStore"/> or a
    /// persisted equivalent).
    /// </summary>
    public static IMerkleNodeSource FromLeafHashes(IReadOnlyList<byte[]> leafHashes) => new LeafListSource(leafHashes);

    /// <summary>Adapts a function <c>(start, end) =&gt; hash of complete subtree [start, end)</c>.</summary>
    public static IMerkleNodeSource FromFunction(Func<long, long, byte[]> subtreeHash) => new FunctionSource(subtreeHash);

    private sealed class LeafListSource(IReadOnlyList<byte[]> leaves) : IMerkleNodeSource
    {
        public byte[] SubtreeHash(long start, long end)
        {
            if (start < 0 || end > leaves.Count || end <= start)
            {
                throw new ArgumentOutOfRangeException(nameof(end), $"[{start}, {end}) is not within the {leaves.Count} leaves.");
            }

            if (end - start == 1)
            {
                return leaves[checked((int)start)];
            }

            var half = (end - start) / 2;
            return MerkleTree.NodeHash(SubtreeHash(start, start + half), SubtreeHash(start + half, end));
        }
    }

    private sealed class FunctionSource(Func<long, long, byte[]> subtreeHash) : IMerkleNodeSource
    {
        public byte[] SubtreeHash(long start, long end) => subtreeHash(start, end);
    }
}

/// <summary>
/// An in-memory append-only Merkle tree that keeps every complete subtree hash by level (level 0 = leaf hashes,
/// level h = subtrees of 2^h leaves; about 2n hashes in all), so any complete subtree is one array read and proofs
/// cost O(log n). It is the shape a database table <c>(level, index, hash)</c> would take for the same job.
/// </summary>
public sealed class MerkleNodeStore : IMerkleNodeSource
{
    private readonly List<List<byte[]>> levels = [[]];

    /// <summary>The number of leaves appended so far.</summary>
    public long Size => levels[0].Count;

    /// <summary>Appends one leaf hash (32 bytes) and the complete subtrees it closes. Amortised O(1).</summary>
    public void Append(byte[] leafHash)
    {
        MerkleTree.RequireHash(leafHash, nameof(leafHash));
        levels[0].Add(leafHash);
        var level = 0;
        var hash = leafHash;
        while (levels[level].Count % 2 == 0)
        {
            var nodes = levels[level];
            hash = MerkleTree.NodeHash(nodes[^2], hash);
            level++;
            if (levels.Count == level)
            {
                levels.Add([]);
            }

            levels[level].Add(hash);
        }
    }

    /// <inheritdoc />
    public byte[] SubtreeHash(long start, long end)
    {
        var width = end - start;
        if (start < 0 || end > Size || width <= 0 || !BitOperations.IsPow2(width) || start % width != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(end), $"[{start}, {end}) is not a complete subtree of a tree of {Size} leaves.");
        }

        var level = BitOperations.Log2((ulong)width);
        return levels[level][checked((int)(start >> level))];
    }

    /// <summary>The RFC 9162 root hash (MTH) at the current size.</summary>
    public byte[] RootHash() => MerkleTree.RootHash(this, Size);
}

/// <summary>
/// RFC 9162 (Certificate Transparency v2) section 2.1 Merkle tree hashing, audit paths and consistency proofs,
/// with SHA-256. Hashes are 32-byte arrays; leaf indexes are 0-based; tree sizes are leaf counts.
/// <list type="bullet">
/// <item>leaf hash = SHA-256(0x00 || entry)</item>
/// <item>node hash = SHA-256(0x01 || left || right)</item>
/// <item>MTH({}) = SHA-256(""); MTH of n &gt; 1 leaves splits at k, the largest power of two below n.</item>
/// </list>
/// Proof elements are ordered from the leaf upwards, exactly as RFC 9162's PATH and PROOF produce them.
/// </summary>
public static class MerkleTree
{
    /// <summary>The length in bytes of every hash in the tree (SHA-256).</summary>
    public const int HashLength = 32;

    /// <summary>MTH of the empty tree: SHA-256 of the empty string.</summary>
    public static byte[] EmptyRootHash() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>SHA-256(0x00 || entry): the hash of one log entry as a leaf.</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> entry)
    {
        // One-shot hashing over a prefixed copy: an IncrementalHash per leaf cost more than the hash itself.
        var rented = entry.Length < 1024 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(entry.Length + 1);
        var buffer = rented is null ? stackalloc byte[entry.Length + 1] : rented.AsSpan(0, entry.Length + 1);
        buffer[0] = 0x00;
        entry.CopyTo(buffer[1..]);
        var leaf = SHA256.HashData(buffer);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        return leaf;
    }

    /// <summary>SHA-256(0x01 || left || right): the hash of an interior node.</summary>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + HashLength + HashLength];
        if (left.Length == HashLength && right.Length == HashLength)
        {
            buffer[0] = 0x01;
            left.CopyTo(buffer[1..]);
            right.CopyTo(buffer[(1 + HashLength)..]);
            return SHA256.HashData(buffer);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([0x01]);
        hash.AppendData(left);
        hash.AppendData(right);
        return hash.GetHashAndReset();
    }

    /// <summary>MTH(D[n]) over the given leaf hashes. O(n).</summary>
    public static byte[] RootHash(IReadOnlyList<byte[]> leafHashes)
    {
        var accumulator = new MerkleAccumulator();
        foreach (var leafHash in leafHashes)
        {
            accumulator.Append(leafHash);
        }

        return accumulator.RootHash();
    }

    /// <summary>MTH of the first <paramref name="treeSize"/> leaves, from at most log2(n)+1 complete subtrees.</summary>
    public static byte[] RootHash(IMerkleNodeSource source, long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        return treeSize == 0 ? EmptyRootHash() : RangeHash(source, 0, treeSize);
    }

    /// <summary>RFC 9162 2.1.3.1 PATH(m, D[n]): the audit path of leaf <paramref name="index"/> in the tree of
    /// <paramref name="treeSize"/> leaves, computed from the whole list of leaf hashes (O(n)).</summary>
    public static IReadOnlyList<byte[]> InclusionProof(IReadOnlyList<byte[]> leafHashes, long index, long treeSize)
    {
        RequireSize(treeSize, leafHashes.Count);
        return InclusionProof(MerkleNodeSource.FromLeafHashes(leafHashes), index, treeSize);
    }

    /// <summary>RFC 9162 2.1.3.1 PATH(m, D[n]) using only complete-subtree hashes from <paramref name="source"/>
    /// (at most about 2·log2(n) calls).</summary>
    public static IReadOnlyList<byte[]> InclusionProof(IMerkleNodeSource source, long index, long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, treeSize);

        var proof = new List<byte[]>();
        Path(source, index, 0, treeSize, proof);
        return proof;
    }

    /// <summary>RFC 9162 2.1.4.1 PROOF(m, D[n]): the consistency proof from size <paramref name="from"/> to size
    /// <paramref name="to"/>, computed from the whole list of leaf hashes (O(n)). Empty when from is 0 or from = to.</summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leafHashes, long from, long to)
    {
        RequireSize(to, leafHashes.Count);
        return ConsistencyProof(MerkleNodeSource.FromLeafHashes(leafHashes), from, to);
    }

    /// <summary>RFC 9162 2.1.4.1 PROOF(m, D[n]) using only complete-subtree hashes from <paramref name="source"/>.
    /// Empty when from is 0 or from = to.</summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IMerkleNodeSource source, long from, long to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(from, to);

        var proof = new List<byte[]>();
        if (from > 0 && from < to)
        {
            SubProof(source, from, 0, to, true, proof);
        }

        return proof;
    }

    /// <summary>
    /// RFC 9162 2.1.3.2: whether <paramref name="proof"/> proves that <paramref name="leafHash"/> is leaf
    /// <paramref name="index"/> of the tree of <paramref name="treeSize"/> leaves whose root is
    /// <paramref name="rootHash"/>. Never throws; any malformed input (wrong hash length, index out of range,
    /// proof too long or short) is simply false.
    /// </summary>
    public static bool VerifyInclusion(long index, long treeSize, byte[] leafHash, IReadOnlyList<byte[]> proof, byte[] rootHash)
    {
        if (index < 0 || index >= treeSize || !IsHash(leafHash) || !IsHash(rootHash) || proof is null)
        {
            return false;
        }

        var fn = index;
        var sn = treeSize - 1;
        var r = leafHash;
        foreach (var p in proof)
        {
            if (sn == 0 || !IsHash(p))
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = NodeHash(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, rootHash);
    }

    /// <summary>
    /// RFC 9162 2.1.4.2: whether <paramref name="proof"/> proves that the tree of <paramref name="to"/> leaves with
    /// root <paramref name="toRoot"/> extends the tree of <paramref name="from"/> leaves with root
    /// <paramref name="fromRoot"/>. The edge cases RFC 9162 leaves to the caller are decided thus: from = to
    /// requires an empty proof and equal roots; from = 0 requires an empty proof and <paramref name="fromRoot"/> =
    /// SHA-256("") (every tree extends the empty one); from &gt; to is false. Never throws.
    /// </summary>
    public static bool VerifyConsistency(long from, long to, byte[] fromRoot, byte[] toRoot, IReadOnlyList<byte[]> proof)
    {
        if (from < 0 || from > to || !IsHash(fromRoot) || !IsHash(toRoot) || proof is null)
        {
            return false;
        }

        if (from == to)
        {
            return proof.Count == 0 && CryptographicOperations.FixedTimeEquals(fromRoot, toRoot);
        }

        if (from == 0)
        {
            return proof.Count == 0 && CryptographicOperations.FixedTimeEquals(fromRoot, EmptyRootHash());
        }

        if (proof.Count == 0)
        {
            return false;
        }

        foreach (var p in proof)
        {
            if (!IsHash(p))
            {
                return false;
            }
        }

        // Step 2: if from is an exact power of two, the proof omits MTH(D[0:from]), which is fromRoot itself.
        var path = BitOperations.IsPow2(from) ? [fromRoot, .. proof] : proof;

        var fn = from - 1;
        var sn = to - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = path[0];
        var sr = path[0];
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = NodeHash(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0
            & CryptographicOperations.FixedTimeEquals(fr, fromRoot)
            & CryptographicOperations.FixedTimeEquals(sr, toRoot);
    }

    /// <summary>The largest power of two strictly less than <paramref name="n"/> (n &gt; 1): RFC 9162's split point k.</summary>
    internal static long SplitPoint(long n) => (long)BitOperations.RoundUpToPowerOf2((ulong)n) >> 1;

    internal static void RequireHash(byte[] hash, string name)
    {
        if (!IsHash(hash))
        {
            throw new ArgumentException($"A Merkle hash is {HashLength} bytes.", name);
        }
    }

    private static bool IsHash(byte[]? hash) => hash is { Length: HashLength };

    private static void RequireSize(long treeSize, int available)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(treeSize, available);
    }

    /// <summary>
    /// MTH(D[start:end]) where start is aligned to a power of two at least end - start (true of every range the
    /// RFC's recursion produces), so each left part is a complete subtree the source can answer directly.
    /// </summary>
    private static byte[] RangeHash(IMerkleNodeSource source, long start, long end)
    {
        var n = end - start;
        if (BitOperations.IsPow2(n))
        {
            return source.SubtreeHash(start, end);
        }

        var k = SplitPoint(n);
        return NodeHash(source.SubtreeHash(start, start + k), RangeHash(source, start + k, end));
    }

    private static void Path(IMerkleNodeSource source, long m, long start, long end, List<byte[]> proof)
    {
        var n = end - start;
        if (n == 1)
        {
            return;
        }

        var k = SplitPoint(n);
        if (m < start + k)
        {
            Path(source, m, start, start + k, proof);
            proof.Add(RangeHash(source, start + k, end));
        }
        else
        {
            Path(source, m, start + k, end, proof);
            proof.Add(source.SubtreeHash(start, start + k));
        }
    }

    /// <summary>SUBPROOF(m, D[start:end], b) with m counted from <paramref name="start"/>.</summary>
    private static void SubProof(IMerkleNodeSource source, long m, long start, long end, bool b, List<byte[]> proof)
    {
        var n = end - start;
        if (m == n)
        {
            if (!b)
            {
                proof.Add(RangeHash(source, start, end));
            }

            return;
        }

        var k = SplitPoint(n);
        if (m <= k)
        {
            SubProof(source, m, start, start + k, b, proof);
            proof.Add(RangeHash(source, start + k, end));
        }
        else
        {
            SubProof(source, m - k, start + k, end, false, proof);
            proof.Add(source.SubtreeHash(start, start + k));
        }
    }
}

/// <summary>
/// Builds the RFC 9162 root incrementally: append leaf hashes one at a time, read the root at any size. Keeps only
/// the "peaks" (the complete subtrees the binary digits of the size decompose into, largest first): at most 64
/// hashes, O(log n) memory, amortised O(1) hashing per append. A verifier replays a log through it; an integrator
/// resumes it from stored peaks with <see cref="MerkleAccumulator(long, IReadOnlyList{byte[]})"/>.
/// </summary>
public sealed class MerkleAccumulator
{
    private readonly List<byte[]> peaks = [];

    /// <summary>An accumulator for the empty tree.</summary>
    public MerkleAccumulator()
    {
    }

    /// <summary>Resumes at <paramref name="size"/> leaves from its <see cref="Peaks"/>, largest subtree first.</summary>
    public MerkleAccumulator(long size, IReadOnlyList<byte[]> peaks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (peaks.Count != BitOperations.PopCount((ulong)size))
        {
            throw new ArgumentException($"A tree of {size} leaves has {BitOperations.PopCount((ulong)size)} peaks, not {peaks.Count}.", nameof(peaks));
        }

        foreach (var peak in peaks)
        {
            MerkleTree.RequireHash(peak, nameof(peaks));
            this.peaks.Add(peak);
        }

        Size = size;
    }

    /// <summary>Starts from the first <paramref name="size"/> leaves of a tree, reading its peaks from the source.</summary>
    public static MerkleAccumulator FromNodeSource(IMerkleNodeSource source, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var peaks = new List<byte[]>();
        long start = 0;
        for (var bit = 62; bit >= 0; bit--)
        {
            var width = 1L << bit;
            if ((size & width) != 0)
            {
                peaks.Add(source.SubtreeHash(start, start + width));
                start += width;
            }
        }

        return new MerkleAccumulator(size, peaks);
    }

    /// <summary>The number of leaves appended.</summary>
    public long Size { get; private set; }

    /// <summary>The complete subtrees covering leaves [0, Size), largest (leftmost) first.</summary>
    public IReadOnlyList<byte[]> Peaks => peaks.AsReadOnly();

    /// <summary>Appends one 32-byte leaf hash.</summary>
    public void Append(byte[] leafHash)
    {
        MerkleTree.RequireHash(leafHash, nameof(leafHash));
        var hash = leafHash;

        // Each trailing 1 bit of the old size is a peak of the same height as the carry: merge them.
        for (var size = Size; (size & 1) == 1; size >>= 1)
        {
            hash = MerkleTree.NodeHash(peaks[^1], hash);
            peaks.RemoveAt(peaks.Count - 1);
        }

        peaks.Add(hash);
        Size++;
    }

    /// <summary>MTH of the leaves appended so far (SHA-256("") when none).</summary>
    public byte[] RootHash()
    {
        if (peaks.Count == 0)
        {
            return MerkleTree.EmptyRootHash();
        }

        var root = peaks[^1];
        for (var i = peaks.Count - 2; i >= 0; i--)
        {
            root = MerkleTree.NodeHash(peaks[i], root);
        }

        return root;
    }
}
