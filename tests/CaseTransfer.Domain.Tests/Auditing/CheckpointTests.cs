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

    [Fact]
    public void A_kept_checkpoint_with_an_extra_blank_line_at_the_end_is_malformed_not_signed_by_another_key()
    {
        using var log = NoteSigner.FromSeed("audit.case-transfer.example/nps", Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray());
        var note = new Checkpoint(log.Name, 5, MerkleTree.EmptyRootHash()).Sign(log);

        var opening = Checkpoint.Open(note + "\n", log.Verifier);

        Assert.Null(opening.Checkpoint);
        Assert.Null(opening.Unverified);
        Assert.Contains("ends with a blank line (an extra newline after its last signature line)", opening.Malformed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signed_note_whose_text_is_not_a_checkpoint_is_malformed_and_says_which_line()
    {
        using var log = NoteSigner.FromSeed("audit.case-transfer.example/nps", new byte[32]);

        var sizeInWords = Checkpoint.Open(SignedNote.Sign($"{log.Name}\nfive\n{Convert.ToBase64String(MerkleTree.EmptyRootHash())}\n", log), log.Verifier);
        var blankAfterRoot = Checkpoint.Open(new Checkpoint(log.Name, 5, MerkleTree.EmptyRootHash()).Sign(log).Replace("\n\n", "\n\n\n", StringComparison.Ordinal), log.Verifier);

        Assert.Contains("tree size", sizeInWords.Malformed, StringComparison.Ordinal);
        Assert.Contains("blank line after its root hash", blankAfterRoot.Malformed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_well_formed_checkpoint_signed_by_another_key_or_altered_does_not_verify_and_is_not_malformed()
    {
        using var log = NoteSigner.FromSeed("audit.case-transfer.example/nps", Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray());
        using var other = NoteSigner.FromSeed("audit.case-transfer.example/nps", new byte[32]);
        var note = new Checkpoint(log.Name, 5, MerkleTree.EmptyRootHash()).Sign(log);

        var byOther = Checkpoint.Open(new Checkpoint(log.Name, 5, MerkleTree.EmptyRootHash()).Sign(other), log.Verifier);
        var altered = Checkpoint.Open(note.Replace("\n5\n", "\n6\n", StringComparison.Ordinal), log.Verifier);

        Assert.Null(byOther.Malformed);
        Assert.Contains("no signature by key", byOther.Unverified, StringComparison.Ordinal);
        Assert.Null(altered.Malformed);
        Assert.Contains("invalid signature", altered.Unverified, StringComparison.Ordinal);
        Assert.Equal(5, Checkpoint.Open(note, log.Verifier).Checkpoint!.TreeSize);
    }
}
