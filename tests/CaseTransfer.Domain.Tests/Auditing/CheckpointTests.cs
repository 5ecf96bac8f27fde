using CaseTransfer.Domain.Auditing;

namespace CaseTransfer.Domain.Tests.Auditing;

public class CheckpointTests
{
    [Fact]
    public void A_checkpoint_formats_as_the_C2SP_body_and_parses_back()
    {
        var root = MerkleTree.RootHash([MerkleTree.LeafHash("a"u8), MerkleTree.LeafHash("b"u8)]);
        var checkpoint = new Checkpoint("audit.case-transfer.example/nps", 2, root, ["extension one"]);
        var body = checkpoint.Format();
        Assert.Equal($"audit.case-transfer.example/nps\n2\n{Convert.ToBase64String(root)}\nextension one\n", body);

        var parsed = Checkpoint.Parse(body);
        Assert.Equal(checkpoint.Origin, parsed.Origin);
        Assert.Equal(2, parsed.TreeSize);
        Assert.Equal(root, parsed.RootHash);
        Assert.Equal(["extension one"], parsed.Extensions);
        Assert.Equal(body, parsed.Format());
    }

    [Fact]
    public void The_C2SP_example_checkpoint_body_parses()
    {
        // The example of https://c2sp.org/tlog-checkpoint.
        var parsed = Checkpoint.Parse("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
        Assert.Equal("example.com/behind-the-sofa", parsed.Origin);
        Assert.Equal(20852163, parsed.TreeSize);
        Assert.Empty(parsed.Extensions);
    }

    [Theory]
    [InlineData("origin\n2\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")]
    [InlineData("\n2\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("origin\n02\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("origin\n-2\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("origin\n+2\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("origin\n99999999999999999999\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("origin\n2\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2\n")]
    [InlineData("origin\n2\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n")]
    [InlineData("origin\n2\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n")]
    [InlineData("origin\n2\n")]
    public void Malformed_bodies_are_refused(string body)
    {
        Assert.False(Checkpoint.TryParse(body, out _));
    }

    [Fact]
    public void A_signed_checkpoint_opens_only_with_the_log_key()
    {
        using var log = NoteSigner.FromSeed("audit.case-transfer.example/nps", Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray());
        using var other = NoteSigner.FromSeed("audit.case-transfer.example/nps", new byte[32]);
        var checkpoint = new Checkpoint(log.Name, 5, MerkleTree.EmptyRootHash());
        var note = checkpoint.Sign(log);

        Assert.True(Checkpoint.TryOpen(note, log.Verifier, out var opened));
        Assert.Equal(5, opened.TreeSize);
        Assert.False(Checkpoint.TryOpen(note, other.Verifier, out _));
        Assert.False(Checkpoint.TryOpen(note.Replace("\n5\n", "\n6\n", StringComparison.Ordinal), log.Verifier, out _));
    }
}
