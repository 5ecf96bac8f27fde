using System.Security.Cryptography;
using System.Text;
using CaseTransfer.Domain.Auditing;

namespace CaseTransfer.Domain.Tests.Auditing;

public class MerkleTreeTests
{
    private const int MaxSize = 64;

    // The RFC 6962 test tree used by Certificate Transparency implementations (transparency-dev/merkle
    // proof/verify_test.go): eight leaves and the root at each size 1..8.
    private static readonly byte[][] VectorLeaves =
    [
        [],
        [0x00],
        [0x10],
        [0x20, 0x21],
        [0x30, 0x31],
        [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ];

    private static readonly string[] VectorRoots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    private static readonly byte[][] Leaves = Enumerable.Range(0, MaxSize)
        .Select(i => MerkleTree.LeafHash(Encoding.UTF8.GetBytes($"entry {i}")))
        .ToArray();

    [Fact]
    public void Hashes_are_domain_separated_SHA256()
    {
        Assert.Equal(SHA256.HashData(new byte[] { 0x00, 0x61 }), MerkleTree.LeafHash("a"u8));
        var left = Leaves[0];
        var right = Leaves[1];
        Assert.Equal(SHA256.HashData([0x01, .. left, .. right]), MerkleTree.NodeHash(left, right));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hex(MerkleTree.RootHash([])));
    }

    [Fact]
    public void Roots_of_the_RFC_6962_test_tree_match_the_published_values_at_every_size()
    {
        var leafHashes = VectorLeaves.Select(l => MerkleTree.LeafHash(l)).ToArray();
        for (var size = 1; size <= VectorLeaves.Length; size++)
        {
            Assert.Equal(VectorRoots[size - 1], Hex(MerkleTree.RootHash(leafHashes[..size])));
        }
    }

    [Theory]
    [InlineData(0, 8, new[] { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" })]
    [InlineData(5, 8, new[] { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" })]
    [InlineData(2, 3, new[] { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" })]
    [InlineData(1, 5, new[] { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" })]
    [InlineData(0, 1, new string[0])]
    public void Inclusion_proofs_of_the_RFC_6962_test_tree_match_the_published_values(long index, long size, string[] expected)
    {
        var leafHashes = VectorLeaves.Select(l => MerkleTree.LeafHash(l)).ToArray();
        var proof = MerkleTree.InclusionProof(leafHashes, index, size);
        Assert.Equal(expected, proof.Select(Hex));
        Assert.True(MerkleTree.VerifyInclusion(index, size, leafHashes[index], proof, Convert.FromHexString(VectorRoots[size - 1])));
    }

    [Theory]
    [InlineData(1, 8, new[] { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" })]
    [InlineData(6, 8, new[] { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" })]
    [InlineData(2, 5, new[] { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" })]
    [InlineData(6, 7, new[] { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" })]
    [InlineData(1, 1, new string[0])]
    public void Consistency_proofs_of_the_RFC_6962_test_tree_match_the_published_values(long from, long to, string[] expected)
    {
        var leafHashes = VectorLeaves.Select(l => MerkleTree.LeafHash(l)).ToArray();
        var proof = MerkleTree.ConsistencyProof(leafHashes, from, to);
        Assert.Equal(expected, proof.Select(Hex));
        Assert.True(MerkleTree.VerifyConsistency(
            from, to, Convert.FromHexString(VectorRoots[from - 1]), Convert.FromHexString(VectorRoots[to - 1]), proof));
    }

    [Fact]
    public void Every_inclusion_proof_up_to_64_leaves_verifies_and_every_corruption_fails()
    {
        for (long size = 1; size <= MaxSize; size++)
        {
            var root = MerkleTree.RootHash(Leaves[..(int)size]);
            for (long index = 0; index < size; index++)
            {
                var proof = MerkleTree.InclusionProof(Leaves, index, size);
                var leaf = Leaves[index];
                Assert.True(MerkleTree.VerifyInclusion(index, size, leaf, proof, root), $"({index}, {size})");

                foreach (var flipped in EveryBitFlip(leaf))
                {
                    Assert.False(MerkleTree.VerifyInclusion(index, size, flipped, proof, root));
                }

                foreach (var flipped in EveryBitFlip(root))
                {
                    Assert.False(MerkleTree.VerifyInclusion(index, size, leaf, proof, flipped));
                }

                for (var i = 0; i < proof.Count; i++)
                {
                    foreach (var flipped in EveryBitFlip(proof[i]))
                    {
                        Assert.False(MerkleTree.VerifyInclusion(index, size, leaf, Replace(proof, i, flipped), root));
                    }
                }

                for (long other = 0; other < size; other++)
                {
                    Assert.Equal(other == index, MerkleTree.VerifyInclusion(other, size, leaf, proof, root));
                }

                // RFC 9162 verification binds the size only through the shape of the path: a size whose path for
                // this index has another length must fail (a checkpoint signature binds the size to the root).
                Assert.False(MerkleTree.VerifyInclusion(index, size * 2, leaf, proof, root));
                Assert.False(MerkleTree.VerifyInclusion(index, size / 2, leaf, proof, root));
                for (long otherSize = index + 1; otherSize <= MaxSize; otherSize++)
                {
                    if (MerkleTree.InclusionProof(Leaves, index, otherSize).Count != proof.Count)
                    {
                        Assert.False(MerkleTree.VerifyInclusion(index, otherSize, leaf, proof, root));
                    }
                }

                Assert.False(MerkleTree.VerifyInclusion(index, size, leaf, [.. proof, root], root));
                Assert.False(MerkleTree.VerifyInclusion(index, size, leaf, [root, .. proof], root));
                if (proof.Count > 0)
                {
                    Assert.False(MerkleTree.VerifyInclusion(index, size, leaf, proof.Take(proof.Count - 1).ToArray(), root));
                }
            }
        }
    }

    [Fact]
    public void Every_consistency_proof_up_to_64_leaves_verifies_and_every_corruption_fails()
    {
        var roots = Enumerable.Range(0, MaxSize + 1).Select(n => MerkleTree.RootHash(Leaves[..n])).ToArray();
        for (long to = 1; to <= MaxSize; to++)
        {
            for (long from = 1; from <= to; from++)
            {
                var proof = MerkleTree.ConsistencyProof(Leaves, from, to);
                var fromRoot = roots[from];
                var toRoot = roots[to];
                Assert.True(MerkleTree.VerifyConsistency(from, to, fromRoot, toRoot, proof), $"({from}, {to})");
                if (from == to)
                {
                    Assert.Empty(proof);
                    Assert.False(MerkleTree.VerifyConsistency(from, to, fromRoot, toRoot, [fromRoot]));
                    continue;
                }

                foreach (var flipped in EveryBitFlip(fromRoot))
                {
                    Assert.False(MerkleTree.VerifyConsistency(from, to, flipped, toRoot, proof));
                }

                foreach (var flipped in EveryBitFlip(toRoot))
                {
                    Assert.False(MerkleTree.VerifyConsistency(from, to, fromRoot, flipped, proof));
                }

                for (var i = 0; i < proof.Count; i++)
                {
                    foreach (var flipped in EveryBitFlip(proof[i]))
                    {
                        Assert.False(MerkleTree.VerifyConsistency(from, to, fromRoot, toRoot, Replace(proof, i, flipped)));
                    }
                }

                for (long otherFrom = 0; otherFrom <= to; otherFrom++)
                {
                    if (otherFrom != from)
                    {
                        Assert.False(MerkleTree.VerifyConsistency(otherFrom, to, fromRoot, toRoot, proof), $"({from}->{otherFrom}, {to})");
                    }
                }

                Assert.False(MerkleTree.VerifyConsistency(from, to * 2, fromRoot, toRoot, proof));
                Assert.False(MerkleTree.VerifyConsistency(from, to, toRoot, fromRoot, proof));
                Assert.False(MerkleTree.VerifyConsistency(to, from, toRoot, fromRoot, proof));
                Assert.False(MerkleTree.VerifyConsistency(from, to, fromRoot, toRoot, []));
                Assert.False(MerkleTree.VerifyConsistency(from, to, fromRoot, toRoot, [.. proof, toRoot]));
                Assert.False(MerkleTree.VerifyConsistency(from, to, fromRoot, toRoot, [toRoot, .. proof]));
                Assert.False(MerkleTree.VerifyConsistency(from, to, fromRoot, toRoot, proof.Take(proof.Count - 1).ToArray()));
            }
        }
    }

    [Fact]
    public void The_empty_tree_is_consistent_with_every_tree_and_nothing_else_is_special()
    {
        var empty = MerkleTree.EmptyRootHash();
        var root = MerkleTree.RootHash(Leaves[..5]);
        Assert.True(MerkleTree.VerifyConsistency(0, 5, empty, root, []));
        Assert.True(MerkleTree.VerifyConsistency(0, 0, empty, empty, []));
        Assert.False(MerkleTree.VerifyConsistency(0, 5, root, root, []));
        Assert.False(MerkleTree.VerifyConsistency(0, 5, empty, root, [root]));
        Assert.Empty(MerkleTree.ConsistencyProof(Leaves, 0, 5));
        Assert.False(MerkleTree.VerifyInclusion(0, 0, Leaves[0], [], empty));
        Assert.False(MerkleTree.VerifyInclusion(-1, 5, Leaves[0], [], root));
        Assert.False(MerkleTree.VerifyInclusion(0, 1, [1, 2, 3], [], [1, 2, 3]));
    }

    [Fact]
    public void A_node_store_serves_the_same_roots_and_proofs_as_the_leaf_list()
    {
        var store = new MerkleNodeStore();
        foreach (var leaf in Leaves)
        {
            store.Append(leaf);
            var size = store.Size;
            Assert.Equal(MerkleTree.RootHash(Leaves[..(int)size]), store.RootHash());
            for (long index = 0; index < size; index++)
            {
                Assert.Equal(MerkleTree.InclusionProof(Leaves, index, size), MerkleTree.InclusionProof(store, index, size));
            }

            for (long from = 0; from <= size; from++)
            {
                Assert.Equal(MerkleTree.ConsistencyProof(Leaves, from, size), MerkleTree.ConsistencyProof(store, from, size));
            }
        }

        // Proofs for an older size come from the same store.
        Assert.Equal(MerkleTree.InclusionProof(Leaves, 3, 10), MerkleTree.InclusionProof(store, 3, 10));
        Assert.Equal(MerkleTree.RootHash(Leaves[..10]), MerkleTree.RootHash(store, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.SubtreeHash(1, 3));
    }

    [Fact]
    public void Proof_generation_asks_the_source_only_for_complete_aligned_subtrees()
    {
        var source = MerkleNodeSource.FromFunction((start, end) =>
        {
            var width = end - start;
            Assert.True(width > 0 && (width & (width - 1)) == 0 && start % width == 0, $"[{start}, {end})");
            return MerkleNodeSource.FromLeafHashes(Leaves).SubtreeHash(start, end);
        });

        for (long size = 1; size <= MaxSize; size++)
        {
            for (long index = 0; index < size; index++)
            {
                Assert.Equal(MerkleTree.InclusionProof(Leaves, index, size), MerkleTree.InclusionProof(source, index, size));
            }

            for (long from = 0; from <= size; from++)
            {
                Assert.Equal(MerkleTree.ConsistencyProof(Leaves, from, size), MerkleTree.ConsistencyProof(source, from, size));
            }
        }
    }

    [Fact]
    public void The_accumulator_root_equals_the_tree_root_at_every_size_up_to_200()
    {
        var leaves = Enumerable.Range(0, 201).Select(i => MerkleTree.LeafHash(BitConverter.GetBytes(i))).ToArray();
        var accumulator = new MerkleAccumulator();
        Assert.Equal(MerkleTree.RootHash([]), accumulator.RootHash());
        for (var size = 1; size <= 200; size++)
        {
            accumulator.Append(leaves[size - 1]);
            Assert.Equal(size, accumulator.Size);
            Assert.Equal(MerkleTree.RootHash(leaves[..size]), accumulator.RootHash());

            var resumed = new MerkleAccumulator(accumulator.Size, accumulator.Peaks);
            resumed.Append(leaves[size]);
            Assert.Equal(MerkleTree.RootHash(leaves[..(size + 1)]), resumed.RootHash());

            var fromSource = MerkleAccumulator.FromNodeSource(MerkleNodeSource.FromLeafHashes(leaves), size);
            Assert.Equal(accumulator.Peaks, fromSource.Peaks);
        }

        Assert.Throws<ArgumentException>(() => new MerkleAccumulator(3, [leaves[0]]));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    /// <summary>One single-bit corruption per byte, the bit position cycling through 0..7, so every byte and
    /// every bit position is exercised without 256 verifications per hash.</summary>
    private static IEnumerable<byte[]> EveryBitFlip(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= (byte)(1 << (i % 8));
            yield return copy;
        }
    }

    private static byte[][] Replace(IReadOnlyList<byte[]> proof, int i, byte[] value)
    {
        var copy = proof.ToArray();
        copy[i] = value;
        return copy;
    }
}
