using System.Text;
using CaseTransfer.Domain.Documents;

namespace CaseTransfer.Domain.Tests.Documents;

/// <summary>A document is what it says it is: its declared type must be one we accept, and its first bytes must fit it.</summary>
public class DocumentTypesTests
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj");
    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00];
    private static readonly byte[] Ole2 = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00, 0x00];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46];
    private static readonly byte[] Gif = Encoding.ASCII.GetBytes("GIF89a\x01\x00\x01\x00");
    private static readonly byte[] TiffLittleEndian = [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00];
    private static readonly byte[] TiffBigEndian = [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08];

    public static TheoryData<string, byte[]> Matching => new()
    {
        { DocumentTypes.Pdf, Pdf },
        { DocumentTypes.Docx, Zip },
        { DocumentTypes.Xlsx, Zip },
        { DocumentTypes.Pptx, Zip },
        { DocumentTypes.Doc, Ole2 },
        { DocumentTypes.Xls, Ole2 },
        { DocumentTypes.Msg, Ole2 },
        { DocumentTypes.Png, Png },
        { DocumentTypes.Jpeg, Jpeg },
        { DocumentTypes.Gif, Gif },
        { DocumentTypes.Tiff, TiffLittleEndian },
        { DocumentTypes.Tiff, TiffBigEndian },
        { DocumentTypes.Text, Encoding.UTF8.GetBytes("Home visit notes: Mrs Ó Briain, 3 March.\r\n") },
        { DocumentTypes.Email, Encoding.UTF8.GetBytes("From: Priya Patel <priya.patel@nps.example>\r\nTo: tom.riley@crc.example\r\n\r\nBody") },
    };

    [Theory]
    [MemberData(nameof(Matching))]
    public void A_document_whose_first_bytes_fit_its_declared_type_is_accepted(string type, byte[] prefix)
    {
        var check = DocumentTypes.Check(type, prefix);

        Assert.Equal(DocumentTypeOutcome.Accepted, check.Outcome);
        Assert.True(check.IsAccepted);
        Assert.Equal(type, check.ContentType);
        Assert.Null(check.Reason);
    }

    [Fact]
    public void Every_accepted_type_is_checked_and_listed_once()
    {
        Assert.Equal(13, DocumentTypes.Accepted.Count);
        Assert.Equal(DocumentTypes.Accepted.Count, DocumentTypes.Accepted.Distinct().Count());
        Assert.All(DocumentTypes.Accepted, t => Assert.NotEqual(DocumentTypeOutcome.UnknownType, DocumentTypes.Check(t, [0x01]).Outcome));
    }

    [Fact]
    public void A_declared_PDF_that_is_a_PNG_is_a_mismatch_that_says_what_was_expected()
    {
        var check = DocumentTypes.Check("application/pdf", Png);

        Assert.Equal(DocumentTypeOutcome.Mismatch, check.Outcome);
        Assert.Equal("declared application/pdf but the content does not start with %PDF-", check.Reason);
    }

    [Theory]
    [InlineData(DocumentTypes.Docx)]
    [InlineData(DocumentTypes.Doc)]
    [InlineData(DocumentTypes.Png)]
    [InlineData(DocumentTypes.Jpeg)]
    [InlineData(DocumentTypes.Gif)]
    [InlineData(DocumentTypes.Tiff)]
    public void A_PDF_declared_as_anything_else_is_a_mismatch(string type) =>
        Assert.Equal(DocumentTypeOutcome.Mismatch, DocumentTypes.Check(type, Pdf).Outcome);

    [Fact]
    public void A_legacy_Word_file_declared_as_docx_is_a_mismatch() =>
        Assert.Equal(DocumentTypeOutcome.Mismatch, DocumentTypes.Check(DocumentTypes.Docx, Ole2).Outcome);

    [Theory]
    [InlineData("Application/PDF")]
    [InlineData("application/pdf; name=report.pdf")]
    [InlineData("  application/pdf ;charset=binary")]
    public void Case_and_parameters_of_the_declared_type_do_not_matter(string declared)
    {
        var check = DocumentTypes.Check(declared, Pdf);

        Assert.True(check.IsAccepted);
        Assert.Equal("application/pdf", check.ContentType);
    }

    [Theory]
    [InlineData("application/x-msdownload")]
    [InlineData("application/zip")]
    [InlineData("text/html")]
    [InlineData("image/svg+xml")]
    [InlineData("application/octet-stream")]
    public void A_type_we_do_not_accept_is_unknown_whatever_the_bytes(string declared)
    {
        var check = DocumentTypes.Check(declared, Zip);

        Assert.Equal(DocumentTypeOutcome.UnknownType, check.Outcome);
        Assert.Equal($"{declared} is not an accepted document type", check.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ; charset=utf-8")]
    public void No_declared_type_is_unknown(string? declared) =>
        Assert.Equal(DocumentTypeOutcome.UnknownType, DocumentTypes.Check(declared, Pdf).Outcome);

    [Fact]
    public void An_empty_document_is_a_mismatch_whatever_it_declares()
    {
        var check = DocumentTypes.Check(DocumentTypes.Text, []);

        Assert.Equal(DocumentTypeOutcome.Mismatch, check.Outcome);
        Assert.Contains("empty", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_with_a_NUL_byte_is_not_text()
    {
        var check = DocumentTypes.Check("text/plain; charset=utf-8", Encoding.UTF8.GetBytes("abc\0def"));

        Assert.Equal(DocumentTypeOutcome.Mismatch, check.Outcome);
        Assert.Contains("NUL", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_UTF_8_is_not_text() =>
        Assert.Equal(DocumentTypeOutcome.Mismatch, DocumentTypes.Check(DocumentTypes.Text, [0x48, 0x69, 0xE9, 0x20, 0x74]).Outcome);

    [Fact]
    public void A_sniffed_prefix_may_end_part_way_through_a_character()
    {
        // 4095 ASCII bytes then the first two of the three bytes of the euro sign: the prefix cut it, the file did not.
        var prefix = Enumerable.Repeat((byte)'a', DocumentTypes.SniffLength - 2).Concat(new byte[] { 0xE2, 0x82 }).ToArray();

        Assert.True(DocumentTypes.Check(DocumentTypes.Text, prefix).IsAccepted);
    }

    [Fact]
    public void A_short_document_may_not_end_part_way_through_a_character() =>
        Assert.Equal(DocumentTypeOutcome.Mismatch, DocumentTypes.Check(DocumentTypes.Text, [0x61, 0x62, 0xE2, 0x82]).Outcome);

    [Theory]
    [InlineData("Received: from mail.nps.example by mx.crc.example")]
    [InlineData("Return-Path: <priya.patel@nps.example>")]
    [InlineData("MIME-Version: 1.0")]
    [InlineData("Date: Mon, 7 Dec 2026 10:00:00 +0000")]
    [InlineData("Subject: Risk review")]
    [InlineData("Message-ID: <1@nps.example>")]
    [InlineData("Delivered-To: tom.riley@crc.example")]
    [InlineData("X-Mailer: Outlook")]
    [InlineData("\uFEFFFrom: priya.patel@nps.example")]
    public void An_email_starts_with_a_header_field(string firstLine) =>
        Assert.True(DocumentTypes.Check(DocumentTypes.Email, Encoding.UTF8.GetBytes(firstLine + "\r\n\r\nBody")).IsAccepted);

    [Theory]
    [InlineData("From priya.patel@nps.example Mon Dec  7 10:00:00 2026")]
    [InlineData("Dear Tom, please find the notes below.")]
    [InlineData(": no name")]
    [InlineData(" From: folded first line")]
    public void Text_that_does_not_start_with_a_header_field_is_not_an_email(string firstLine)
    {
        var check = DocumentTypes.Check("message/rfc822", Encoding.UTF8.GetBytes(firstLine + "\r\n"));

        Assert.Equal(DocumentTypeOutcome.Mismatch, check.Outcome);
        Assert.Contains("email header field", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_binary_file_is_not_an_email() =>
        Assert.Equal(DocumentTypeOutcome.Mismatch, DocumentTypes.Check(DocumentTypes.Email, Png).Outcome);
}
