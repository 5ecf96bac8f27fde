using System.Buffers.Text;
using System.Text;
using CaseTransfer.Domain.Auditing;

namespace CaseTransfer.Domain.Tests.Auditing;

public class AuditReceiptTests
{
    private static readonly Guid EntryId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly byte[] Leaf = MerkleTree.LeafHash("an audit entry"u8);
    private static readonly DateTimeOffset IssuedAt = new(2026, 11, 27, 9, 30, 15, 250, TimeSpan.FromHours(1));

    private static NoteSigner LogKey() => NoteSigner.FromSeed("audit.case-transfer.example/nps", Enumerable.Range(0, 32).Select(i => (byte)(i + 100)).ToArray());

    [Fact]
    public void A_receipt_signs_the_documented_canonical_text_and_round_trips_through_its_token()
    {
        using var key = LogKey();
        var receipt = AuditReceipt.Create(EntryId, Leaf, IssuedAt, 86_400, key);

        Assert.Equal(
            $"case-transfer-receipt/v1\n0f8fad5b-d9cb-469f-a165-70867728950e\n{Convert.ToBase64String(Leaf)}\n{IssuedAt.ToUnixTimeSeconds()}\n86400\n",
            receipt.CanonicalText);
        Assert.Equal(DateTimeOffset.Parse("2026-11-27T08:30:15Z", System.Globalization.CultureInfo.InvariantCulture), receipt.IssuedAt);
        Assert.StartsWith("v1.", receipt.Token, StringComparison.Ordinal);
        Assert.Equal(receipt.CanonicalBytes, Base64Url.DecodeFromChars(receipt.Token.Split('.')[1]));

        var parsed = AuditReceipt.Parse(receipt.Token);
        Assert.Equal(EntryId, parsed.EntryId);
        Assert.Equal(Leaf, parsed.LeafHash);
        Assert.Equal(receipt.IssuedAt, parsed.IssuedAt);
        Assert.Equal(86_400, parsed.MaxMergeDelaySeconds);
        Assert.Equal(receipt.Token, parsed.Token);
        Assert.True(parsed.Verify(key.Verifier));

        using var other = NoteSigner.FromSeed(key.Name, new byte[32]);
        Assert.False(parsed.Verify(other.Verifier));
    }

    [Fact]
    public void Flipping_any_bit_of_the_signed_text_or_the_signature_defeats_the_receipt()
    {
        using var key = LogKey();
        var receipt = AuditReceipt.Create(EntryId, Leaf, IssuedAt, 60, key);
        var canonical = receipt.CanonicalBytes;
        var signature = receipt.Signature;

        for (var bit = 0; bit < canonical.Length * 8; bit++)
        {
            var tampered = (byte[])canonical.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Accepted(Token(tampered, signature), key.Verifier), $"text bit {bit}");
        }

        for (var bit = 0; bit < signature.Length * 8; bit++)
        {
            var tampered = (byte[])signature.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Accepted(Token(canonical, tampered), key.Verifier), $"signature bit {bit}");
        }

        Assert.True(Accepted(Token(canonical, signature), key.Verifier));
    }

    [Fact]
    public void Fields_with_a_second_encoding_are_refused_even_when_signed()
    {
        using var key = LogKey();
        var text = AuditReceipt.Create(EntryId, Leaf, IssuedAt, 60, key).CanonicalText;
        string[] variants =
        [
            text.Replace("0f8fad5b-d9cb-469f-a165-70867728950e", "0F8FAD5B-D9CB-469F-A165-70867728950E", StringComparison.Ordinal),
            text.Replace("\n60\n", "\n060\n", StringComparison.Ordinal),
            text.Replace("\n60\n", "\n+60\n", StringComparison.Ordinal),
            text + "extra\n",
            text.TrimEnd('\n'),
            text.Replace("v1\n", "v2\n", StringComparison.Ordinal),
        ];

        foreach (var variant in variants)
        {
            var bytes = Encoding.UTF8.GetBytes(variant);
            Assert.False(AuditReceipt.TryParse(Token(bytes, key.SignData(bytes)), out _), variant);
        }

        Assert.False(AuditReceipt.TryParse("v2" + AuditReceipt.Create(EntryId, Leaf, IssuedAt, 60, key).Token[2..], out _));
        Assert.False(AuditReceipt.TryParse("v1.abc", out _));
        Assert.False(AuditReceipt.TryParse("", out _));
    }

    private static string Token(byte[] canonical, byte[] signature) =>
        $"v1.{Base64Url.EncodeToString(canonical)}.{Base64Url.EncodeToString(signature)}";

    private static bool Accepted(string token, NoteVerifier key) =>
        AuditReceipt.TryParse(token, out var receipt) && receipt.Verify(key);
}
