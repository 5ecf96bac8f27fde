using System.Globalization;
using CaseTransfer.Application.SubjectAccess;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace CaseTransfer.Infrastructure.SubjectAccess;

/// <summary>
/// The bundle as a PDF for the person, made with PDFsharp: a heading per kind of record, each record as lines of
/// text, wrapped and paged. Its fonts are DejaVu Sans (free licence, shipped in this assembly) through
/// <see cref="BundleFonts"/>, so the PDF looks the same on any machine, with no fonts installed.
/// </summary>
public sealed class SubjectAccessPdf : ISubjectAccessPdf
{
    private const double Margin = 50;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public byte[] Render(SubjectAccessBundle bundle)
    {
        BundleFonts.Install();
        using var document = new PdfDocument();
        document.Info.Title = $"Subject access request {bundle.Reference}";
        document.Info.Author = "Case Transfer service";
        var writer = new Writer(document);
        var s = bundle.Subject;

        writer.Title("Your information: subject access request");
        writer.Line($"Reference: {bundle.Reference}");
        writer.Line($"About: {string.Join(' ', new[] { s.FirstName, s.MiddleNames, s.LastName }.Where(n => n is not null))}, born {Date(s.DateOfBirth)}");
        writer.Line($"CRN {s.Crn}; PNC ID {s.PncId ?? "none"}; NOMS number {s.NomsNumber ?? "none"}");
        writer.Line($"Period: {(bundle.From is { } f ? Date(f) : "the beginning")} to {(bundle.To is { } t ? Date(t) : "today")}; made {Instant(bundle.GeneratedAt)}");
        writer.Line("People who work for the probation services are shown by their role and organisation, not their name. What was left out, and why, is listed at the end.");

        var c = bundle.CaseRecord;
        writer.Heading("Case record");
        writer.Line($"Held by {c.HolderOrganisation} since {Instant(c.HeldSince)}; area {c.AreaCode}; tier {c.Tier ?? "not set"}");
        writer.Line($"Sentence: {c.SentenceType}, sentenced {Date(c.SentenceDate)}; starts {Date(c.StartDate)}; expected end {Date(c.ExpectedEndDate)}; release {Date(c.ReleaseDate)}; licence ends {Date(c.LicenceEndDate)}");
        writer.Line($"Record opened {Instant(c.CreatedAt)}; last changed {Instant(c.UpdatedAt)}");

        writer.Section("Names and aliases", bundle.Names, n => $"{n.Kind}: {n.FirstName} {n.MiddleNames} {n.LastName}; recorded {Instant(n.RecordedAt)} by {n.RecordedBy}");
        writer.Section("Risk assessments", bundle.RiskAssessments, r =>
            $"Assessed {Date(r.AssessedOn)}: risk of serious harm {r.RiskOfSeriousHarm}; RSR {r.RsrPercent?.ToString(Invariant) ?? "-"}%; OGRS {r.OgrsPercent?.ToString(Invariant) ?? "-"}%; MAPPA {r.MappaCategory} / {r.MappaLevel}; tier {r.Tier ?? "-"}; flags {r.Flags}; recorded {Instant(r.RecordedAt)} by {r.RecordedBy}");
        writer.Section("Tier history", bundle.Tiers, t => $"{Instant(t.ComputedAt)}: tier {t.Tier ?? "none"} (protect {t.ProtectPoints}, change {t.ChangePoints}; rules {t.RulesetVersion})");
        writer.Section("Holdings (who supervised you)", bundle.Holdings, h =>
            $"{h.Organisation} from {Instant(h.From)} to {(h.To is { } to ? Instant(to) : "now")}: {h.Reason}{(h.ResponsibleOfficer is null ? "" : $"; officer: {h.ResponsibleOfficer}")}");
        writer.Section("Allocations and their decisions", bundle.Allocations, a =>
            $"{Instant(a.ProposedAt)}: allocation from {a.FromOrganisation} to {a.ToOrganisation} ({a.Reason}{(a.ReasonText is null ? "" : $": {a.ReasonText}")}), proposed by {a.ProposedBy}; the rules named {a.RulesOrganisation} (rules {a.RulesetVersion}){(a.IsOverride ? $"; overridden: {a.OverrideJustification}" : "")}; decision: {a.State}{(a.DecidedBy is null ? "" : $" by {a.DecidedBy} at {Instant(a.DecidedAt)}")}{(a.RejectionReason is null ? "" : $" ({a.RejectionReason})")}{(a.DecisionText is null ? "" : $": {a.DecisionText}")}");
        writer.Section("Risk escalations", bundle.Escalations, e =>
            $"{Instant(e.RequestedAt)}: escalation from {e.Provider} to {e.NpsRegion} ({e.Reason}, {e.Urgency}){(e.ReasonText is null ? "" : $": {e.ReasonText}")}, requested by {e.RequestedBy}; {e.State}{(e.DecidedBy is null ? "" : $" by {e.DecidedBy} at {Instant(e.DecidedAt)}")}{(e.AcceptanceReason is null ? "" : $" ({e.AcceptanceReason})")}{(e.DeclineReason is null ? "" : $" ({e.DeclineReason})")}{(e.DecisionText is null ? "" : $": {e.DecisionText}")}");
        writer.Section("Disputes between the organisations", bundle.Disputes, d =>
            $"{Instant(d.RaisedAt)}: dispute about a {d.SubjectKind}, raised by {d.RaisedBy}: {d.Grounds}; stage {d.Stage}{(d.Outcome is null ? "" : $"; outcome {d.Outcome}{(d.OutcomeText is null ? "" : $": {d.OutcomeText}")}")}"
            + string.Concat(d.Statements.Select(st => $" | {Instant(st.At)} {st.Author}: {st.Text}")));
        writer.Section("Information requests", bundle.InformationRequests, r =>
            $"{Instant(r.RequestedAt)}: {r.RequestedBy} asked {r.Addressee} for {r.Type}{(r.OtherType is null ? "" : $" ({r.OtherType})")}, for: {r.Purpose} ({r.LawfulBasis}); {r.State}{(r.RefusalReason is null ? "" : $" ({r.RefusalReason})")}");
        writer.Section("Information shared", bundle.Shares, x =>
            $"{Instant(x.SharedAt)}: {x.SharedBy} shared {x.Type} with {x.Recipient} ({x.Mode}, until {Instant(x.ExpiresAt)}{(x.RevokedAt is null ? "" : $", revoked {Instant(x.RevokedAt)}")}), for: {x.Purpose} ({x.LawfulBasis}){(x.Content is null ? "" : $"; content: {x.Content}")}");
        writer.Section("Documents (details, not contents)", bundle.Documents, d =>
            $"{Instant(d.UploadedAt)}: {d.FileName}{(d.Title is null ? "" : $" \"{d.Title}\"")} ({d.ContentType}, {d.Length} bytes), held by {d.Owner}, uploaded by {d.UploadedBy}");
        writer.Section("Victim conditions", bundle.VictimConditions, v =>
            $"{v.Kind} from {Date(v.StartsOn)} to {Date(v.EndsOn)}: {v.Description}{(v.Place is null ? "" : $"; place: {v.Place}")}{(v.EndedAt is null ? "" : $"; ended {Instant(v.EndedAt)}")}");
        writer.Section("Disclosure log (who saw or was given your information)", bundle.DisclosureLog, e =>
            $"{Instant(e.OccurredAt)} {e.Operation} {e.Action} by {e.By}{(e.ResourceType is null ? "" : $" ({e.ResourceType})")}{(e.Recipients is null ? "" : $" to {e.Recipients}")}{(e.Justification is null ? "" : $"; why: {e.Justification}")}");
        writer.Section("Withheld", bundle.Withheld, w => $"{w.Kind} ({w.Count}): {w.Reason}");

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", Invariant) ?? "-";

    private static string Instant(DateTimeOffset? at) => at is { } value ? CaseTransfer.Domain.Common.London.Render(value)[..16].Replace('T', ' ') : "-";

    /// <summary>Lays text out top to bottom, wrapping words to the page width and starting a new page when one is full.</summary>
    private sealed class Writer(PdfDocument document)
    {
        private readonly XFont _title = new(BundleFonts.Family, 16, XFontStyleEx.Bold);
        private readonly XFont _heading = new(BundleFonts.Family, 12, XFontStyleEx.Bold);
        private readonly XFont _body = new(BundleFonts.Family, 9, XFontStyleEx.Regular);
        private XGraphics? _graphics;
        private PdfPage? _page;
        private double _y;

        public void Title(string text) => Write(text, _title, before: 0, after: 8);

        public void Heading(string text)
        {
            Write(text, _heading, before: 10, after: 2);
            var g = Graphics;
            g.DrawLine(XPens.Gray, Margin, _y, _page!.Width.Point - Margin, _y);
            _y += 4;
        }

        public void Line(string text) => Write(text, _body, before: 0, after: 3);

        public void Section<T>(string heading, IReadOnlyList<T> records, Func<T, string> line)
        {
            Heading($"{heading} ({records.Count})");
            if (records.Count == 0)
            {
                Line("None in this period.");
            }

            foreach (var record in records)
            {
                Line(line(record));
            }
        }

        private XGraphics Graphics
        {
            get
            {
                if (_graphics is null)
                {
                    NewPage();
                }

                return _graphics!;
            }
        }

        private void NewPage()
        {
            _graphics?.Dispose();
            _page = document.AddPage();
            _page.Size = PdfSharp.PageSize.A4;
            _graphics = XGraphics.FromPdfPage(_page);
            _y = Margin;
        }

        private void Write(string text, XFont font, double before, double after)
        {
            var g = Graphics;
            var width = _page!.Width.Point - (2 * Margin);
            var height = font.GetHeight();
            _y += before;
            foreach (var row in Wrap(g, text, font, width))
            {
                if (_y + height > _page.Height.Point - Margin)
                {
                    NewPage();
                    g = _graphics!;
                }

                g.DrawString(row, font, XBrushes.Black, new XRect(Margin, _y, width, height), XStringFormats.TopLeft);
                _y += height;
            }

            _y += after;
        }

        private static IEnumerable<string> Wrap(XGraphics g, string text, XFont font, double width)
        {
            var row = "";
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = row.Length == 0 ? word : $"{row} {word}";
                if (row.Length > 0 && g.MeasureString(candidate, font).Width > width)
                {
                    yield return row;
                    row = word;
                }
                else
                {
                    row = candidate;
                }
            }

            if (row.Length > 0)
            {
                yield return row;
            }
        }
    }
}

/// <summary>
/// PDFsharp's fonts: DejaVu Sans and DejaVu Sans Bold, embedded in this assembly (DejaVu's licence allows it; see
/// Fonts/LICENSE-DejaVu.txt). PDFsharp 6 finds no system fonts on Linux by itself; this resolver needs none.
/// </summary>
public sealed class BundleFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";
    private static readonly Lock Gate = new();

    /// <summary>Installs the resolver once per process; PDFsharp refuses a second one after fonts were used.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not BundleFonts)
            {
                GlobalFontSettings.FontResolver = new BundleFonts();
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName)
    {
        using var stream = typeof(BundleFonts).Assembly.GetManifestResourceStream($"fonts/{faceName}.ttf")
            ?? throw new InvalidOperationException($"The font {faceName} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
