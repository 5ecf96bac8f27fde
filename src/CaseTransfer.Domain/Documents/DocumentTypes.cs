using System.Buffers;
using System.Text;

namespace CaseTransfer.Domain.Documents;

public enum DocumentTypeOutcome
{
    Accepted,
    UnknownType,
    Mismatch,
}

/// <summary>
/// What <see cref="DocumentTypes.Check"/> found: the declared type, normalised (null when none was declared), and,
/// unless accepted, a short reason a person can act on.
/// </summary>
public sealed record DocumentTypeCheck(DocumentTypeOutcome Outcome, string? ContentType, string? Reason)
{
    public bool IsAccepted => Outcome == DocumentTypeOutcome.Accepted;
}

/// <summary>
/// The content types a shared document may declare, and the check that its first bytes are what it says it is: a
/// file renamed to pass as a PDF (an executable, an archive of anything) is refused before it is stored.
/// </summary>
public static class DocumentTypes
{
    /// <summary>How many leading bytes are read to check a document's type.</summary>
    public const int SniffLength = 4096;

    public const string Pdf = "application/pdf";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    public const string Doc = "application/msword";
    public const string Xls = "application/vnd.ms-excel";
    public const string Msg = "application/vnd.ms-outlook";
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string Gif = "image/gif";
    public const string Tiff = "image/tiff";
    public const string Text = "text/plain";
    public const string Email = "message/rfc822";

    private delegate string? Sniffer(ReadOnlySpan<byte> prefix);

    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] Ole2 = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    // Each sniffer returns null when the bytes fit, else what they lack.
    private static readonly Dictionary<string, Sniffer> Sniffers = new(StringComparer.Ordinal)
    {
        [Pdf] = p => StartsWith(p, "%PDF-"u8) ? null : "the content does not start with %PDF-",
        [Docx] = OfficeOpenXml,
        [Xlsx] = OfficeOpenXml,
        [Pptx] = OfficeOpenXml,
        [Doc] = Ole2Compound,
        [Xls] = Ole2Compound,
        [Msg] = Ole2Compound,
        [Png] = p => StartsWith(p, PngSignature) ? null : "the content does not start with the PNG signature",
        [Jpeg] = p => StartsWith(p, [0xFF, 0xD8, 0xFF]) ? null : "the content does not start with a JPEG start-of-image marker (FF D8 FF)",
        [Gif] = p => StartsWith(p, "GIF87a"u8) || StartsWith(p, "GIF89a"u8) ? null : "the content does not start with GIF87a or GIF89a",
        // Classic TIFF (42) and BigTIFF (43), in either byte order.
        [Tiff] = p => StartsWith(p, "II*\0"u8) || StartsWith(p, "MM\0*"u8) || StartsWith(p, "II+\0"u8) || StartsWith(p, "MM\0+"u8)
            ? null
            : "the content does not start with a TIFF header (II*\\0 or MM\\0*)",
        [Text] = PlainText,
        [Email] = EmailMessage,
    };

    public static IReadOnlyList<string> Accepted { get; } =
        [Pdf, Docx, Xlsx, Pptx, Doc, Xls, Msg, Png, Jpeg, Gif, Tiff, Text, Email];

    /// <summary>
    /// Lower case, without parameters (<c>Text/Plain; charset=utf-8</c> is <c>text/plain</c>); null when nothing was
    /// declared.
    /// </summary>
    public static string? Normalise(string? declaredContentType)
    {
        var type = declaredContentType?.Split(';', 2)[0].Trim().ToLowerInvariant();
        return string.IsNullOrEmpty(type) ? null : type;
    }

    /// <summary>
    /// Checks a declared content type against the document's first bytes (up to <see cref="SniffLength"/>; fewer
    /// means the document ends there). An empty document is a mismatch whatever it declares.
    /// </summary>
    public static DocumentTypeCheck Check(string? declaredContentType, ReadOnlySpan<byte> prefix)
    {
        var type = Normalise(declaredContentType);
        if (type is null)
        {
            return new DocumentTypeCheck(DocumentTypeOutcome.UnknownType, null, "no content type was declared");
        }

        if (!Sniffers.TryGetValue(type, out var sniff))
        {
            return new DocumentTypeCheck(DocumentTypeOutcome.UnknownType, type, $"{type} is not an accepted document type");
        }

        if (prefix.IsEmpty)
        {
            return new DocumentTypeCheck(DocumentTypeOutcome.Mismatch, type, "the document is empty");
        }

        return sniff(prefix) is { } lacking
            ? new DocumentTypeCheck(DocumentTypeOutcome.Mismatch, type, $"declared {type} but {lacking}")
            : new DocumentTypeCheck(DocumentTypeOutcome.Accepted, type, null);
    }

    private static bool StartsWith(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> signature) => prefix.StartsWith(signature);

    private static string? OfficeOpenXml(ReadOnlySpan<byte> prefix) =>
        StartsWith(prefix, Zip) ? null : "the content does not start with a ZIP header (PK\\x03\\x04)";

    private static string? Ole2Compound(ReadOnlySpan<byte> prefix) =>
        StartsWith(prefix, Ole2) ? null : "the content does not start with an OLE2 compound file header (D0 CF 11 E0 A1 B1 1A E1)";

    private static string? PlainText(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Contains((byte)0))
        {
            return "the content contains a NUL byte, so it is not text";
        }

        // A full-length prefix may end part way through a character; a shorter one is the whole document.
        var mayBeCut = prefix.Length >= SniffLength;
        var rest = prefix;
        while (!rest.IsEmpty)
        {
            switch (Rune.DecodeFromUtf8(rest, out _, out var consumed))
            {
                case OperationStatus.Done:
                    rest = rest[consumed..];
                    break;
                case OperationStatus.NeedMoreData when mayBeCut:
                    return null;
                default:
                    return $"the content is not valid UTF-8 (at byte {prefix.Length - rest.Length})";
            }
        }

        return null;
    }

    private static string? EmailMessage(ReadOnlySpan<byte> prefix)
    {
        if (PlainText(prefix) is { } notText)
        {
            return notText;
        }

        // RFC 5322 section 2.2: a header field name is one or more printable ASCII characters other than the colon,
        // followed by a colon. An mbox "From " separator line, or prose, does not start that way.
        var text = prefix.StartsWith(Utf8Bom) ? prefix[Utf8Bom.Length..] : prefix;
        var name = 0;
        while (name < text.Length && text[name] is >= 33 and <= 126 and not (byte)':')
        {
            name++;
        }

        return name > 0 && name < text.Length && text[name] == (byte)':'
            ? null
            : "the content does not start with an email header field (Name: value, such as From: or Received:)";
    }
}
