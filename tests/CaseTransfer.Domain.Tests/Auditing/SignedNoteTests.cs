using CaseTransfer.Domain.Auditing;

namespace CaseTransfer.Domain.Tests.Auditing;

public class SignedNoteTests
{
    // The published example of golang.org/x/mod/sumdb/note (note_test.go, TestSign/TestOpen): the signer key
    // "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz" is base64(0x01 || seed).
    private const string PeterSignerKeyMaterial = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string PeterVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string EnochVerifierKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    private const string Text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private const string PeterSignature = "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    private const string EnochSignature = "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    private static NoteSigner Peter() => NoteSigner.FromSeed("PeterNeumann", Convert.FromBase64String(PeterSignerKeyMaterial).AsSpan(1));

    [Fact]
    public void Signing_the_Go_sumdb_example_reproduces_the_published_note_byte_for_byte()
    {
        using var signer = Peter();
        Assert.Equal(0xc74f20a3u, signer.KeyId);
        Assert.Equal(PeterVerifierKey, signer.VerifierKey);
        Assert.Equal(Text + "\n" + PeterSignature, SignedNote.Sign(Text, signer));
    }

    [Fact]
    public void The_published_note_verifies_with_the_published_verifier_key_and_ignores_other_signers()
    {
        var peter = NoteVerifier.Parse(PeterVerifierKey);
        var enoch = NoteVerifier.Parse(EnochVerifierKey);
        Assert.Equal(0xaf0cfe78u, enoch.KeyId);

        var both = Text + "\n" + PeterSignature + EnochSignature;
        Assert.Equal(Text, SignedNote.Verify(both, peter).Body);
        Assert.Equal(Text, SignedNote.Verify(both, enoch).Body);
        Assert.False(SignedNote.Verify(Text + "\n" + EnochSignature, peter).IsVerified);
    }

    [Fact]
    public void Key_id_is_the_first_four_bytes_of_SHA256_of_name_newline_type_and_key()
    {
        var verifier = NoteVerifier.Parse(PeterVerifierKey);
        var key = verifier.PublicKeyBytes;
        var expected = System.Security.Cryptography.SHA256.HashData([.. "PeterNeumann\n"u8, 0x01, .. key]);
        Assert.Equal(Convert.ToHexString(expected[..4]).ToLowerInvariant(), verifier.KeyId.ToString("x8"));
        Assert.Equal(verifier.KeyId, NoteVerifier.ComputeKeyId("PeterNeumann", key));
    }

    [Fact]
    public void A_verifier_key_round_trips_and_every_mangling_is_refused()
    {
        using var signer = NoteSigner.FromSeed("audit.case-transfer.example/nps", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var parsed = NoteVerifier.Parse(signer.VerifierKey);
        Assert.Equal(signer.VerifierKey, parsed.VerifierKey);
        Assert.Equal(signer.Verifier.PublicKeyBytes, parsed.PublicKeyBytes);
        Assert.Equal(signer.KeyId, parsed.KeyId);
        Assert.Equal(parsed.VerifierKey, NoteVerifier.FromPublicKey(parsed.Name, parsed.PublicKeyBytes).VerifierKey);

        var text = PeterVerifierKey;
        for (var i = 0; i < text.Length; i++)
        {
            Assert.False(NoteVerifier.TryParse(text[..i], out _), text[..i]);
            Assert.False(NoteVerifier.TryParse(text[(i + 1)..], out _), text[(i + 1)..]);
            var bumped = text[..i] + (char)(text[i] + 1) + text[(i + 1)..];
            Assert.False(NoteVerifier.TryParse(bumped, out _), bumped);
        }

        Assert.False(NoteVerifier.TryParse("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", out _));
        Assert.False(NoteVerifier.TryParse("PeterNeumann+c74f20a3+AhpjzBkDrCdaBuQjLZKyHpdRkXIAQu4wMIPAB86qnVam", out _));
    }

    [Fact]
    public void A_note_round_trips_and_a_tampered_body_or_signature_fails()
    {
        using var signer = NoteSigner.FromSeed("log.example/audit", new byte[32]);
        var body = "log.example/audit\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
        var note = SignedNote.Sign(body, signer);
        var verification = SignedNote.Verify(note, signer.Verifier);
        Assert.True(verification.IsVerified, verification.Failure);
        Assert.Equal(body, verification.Body);

        Assert.False(SignedNote.Verify(note.Replace("\n7\n", "\n8\n", StringComparison.Ordinal), signer.Verifier).IsVerified);
        var signatureStart = note.LastIndexOf(' ') + 1;
        for (var i = signatureStart; i < note.Length - 2; i++)
        {
            var replacement = note[i] == 'A' ? 'B' : 'A';
            var tampered = note[..i] + replacement + note[(i + 1)..];
            Assert.False(SignedNote.Verify(tampered, signer.Verifier).IsVerified, $"signature character {i}");
        }

        using var other = NoteSigner.FromSeed("log.example/audit", Enumerable.Repeat((byte)7, 32).ToArray());
        Assert.False(SignedNote.Verify(note, other.Verifier).IsVerified);
    }

    [Theory]
    [InlineData(Text)]
    [InlineData(Text + "\n")]
    [InlineData(Text + "\n" + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=")]
    [InlineData("\x01" + Text + "\n" + PeterSignature)]
    [InlineData(Text + "\n" + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")]
    [InlineData(Text + "\n" + PeterSignature + "Unexpected line.\n")]
    [InlineData(Text + "\n" + "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")]
    public void Malformed_notes_are_refused(string note)
    {
        var verification = SignedNote.Verify(note, NoteVerifier.Parse(PeterVerifierKey));

        Assert.False(verification.IsVerified);
        Assert.True(verification.IsMalformed, verification.Failure);
        Assert.False(SignedNote.TryReadText(note, out _, out _));
    }

    [Fact]
    public void A_note_signed_by_another_key_or_altered_is_well_formed_but_not_verified()
    {
        var peter = NoteVerifier.Parse(PeterVerifierKey);
        var byEnoch = SignedNote.Verify(Text + "\n" + EnochSignature, peter);
        var altered = SignedNote.Verify(Text.Replace("answer", "Answer", StringComparison.Ordinal) + "\n" + PeterSignature, peter);

        Assert.False(byEnoch.IsVerified);
        Assert.False(byEnoch.IsMalformed);
        Assert.False(altered.IsVerified);
        Assert.False(altered.IsMalformed);
        Assert.True(SignedNote.TryReadText(Text + "\n" + EnochSignature, out var text, out _));
        Assert.Equal(Text, text);
    }

    [Fact]
    public void A_note_with_an_extra_blank_line_at_the_end_says_so()
    {
        Assert.False(SignedNote.TryReadText(Text + "\n" + PeterSignature + "\n", out _, out var malformation));

        Assert.Contains("ends with a blank line", malformation, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_signatures_are_refused()
    {
        var note = Text + "\n" + string.Concat(Enumerable.Repeat(PeterSignature, 101));
        Assert.True(SignedNote.Verify(note, NoteVerifier.Parse(PeterVerifierKey)).IsMalformed);
    }

    [Fact]
    public void Only_note_text_can_be_signed()
    {
        using var signer = Peter();
        Assert.Throws<ArgumentException>(() => SignedNote.Sign("no final newline", signer));
        Assert.Throws<ArgumentException>(() => SignedNote.Sign("", signer));
        Assert.Throws<ArgumentException>(() => SignedNote.Sign("tab\there\n", signer));
        Assert.Throws<ArgumentException>(() => NoteSigner.FromSeed("has+plus", new byte[32]));
        Assert.Throws<ArgumentException>(() => NoteSigner.FromSeed("has space", new byte[32]));
        Assert.Throws<ArgumentException>(() => NoteSigner.FromSeed("name", new byte[31]));
    }
}
