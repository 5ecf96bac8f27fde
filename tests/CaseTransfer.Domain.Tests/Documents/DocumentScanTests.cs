using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Documents;
using CaseTransfer.Domain.Identifiers;

namespace CaseTransfer.Domain.Tests.Documents;

/// <summary>A document's scan status moves once, from awaiting a verdict to Clean or Infected; only Clean (or NotScanned) is ever read.</summary>
public class DocumentScanTests
{
    private static readonly DateTimeOffset At = new(2027, 5, 4, 15, 0, 0, TimeSpan.Zero);

    private static Document Uploaded() => new(
        Guid.CreateVersion7(At), Guid.NewGuid(), Crn.Parse("X123456"), "CRC-CGM", "cgm-io-01", At, "notes.txt", null, "text/plain", 68,
        new string('0', 64), Document.StorageKeyFor(Guid.NewGuid(), At));

    private static string Rule(Action action) => Assert.Throws<DomainRuleViolation>(action).Rule;

    [Fact]
    public void An_uploaded_document_is_pending_and_its_bytes_are_not_read()
    {
        var document = Uploaded();
        Assert.Equal(ScanStatus.Pending, document.ScanStatus);
        Assert.False(document.IsReadable);
        Assert.Equal("document-not-scanned", Rule(document.EnsureReadable));
    }

    [Fact]
    public void A_clean_verdict_makes_it_readable_and_is_final()
    {
        var document = Uploaded();
        document.ScannedClean(At);
        Assert.True(document.IsReadable);
        document.EnsureReadable();
        Assert.Equal("document-already-scanned", Rule(() => document.ScannedInfected("Eicar", "quarantine/x/1", At)));
        Assert.Empty(document.DomainEvents);
    }

    [Fact]
    public void An_infected_document_is_quarantined_never_read_and_its_owner_hears_of_it()
    {
        var document = Uploaded();
        var quarantine = Document.QuarantineKeyFor(document.StorageKey, Guid.NewGuid());
        document.ScannedInfected("Eicar-Signature", quarantine, At);
        Assert.Equal(ScanStatus.Infected, document.ScanStatus);
        Assert.Equal("Eicar-Signature", document.ScanSignature);
        Assert.Equal(quarantine, document.StorageKey);
        Assert.Equal("document-infected", Rule(document.EnsureReadable));
        Assert.Equal("document-already-scanned", Rule(() => document.ScannedClean(At)));
        var raised = Assert.IsType<DocumentEvent>(Assert.Single(document.DomainEvents));
        Assert.Equal("case-transfer.document.infected", raised.EventType);
        Assert.Equal(["CRC-CGM"], ((IDomainEvent)raised).Parties);
        Assert.True(((IDomainEvent)raised).PartiesOnly);
        Assert.Throws<ArgumentException>(() => Uploaded().ScannedInfected("Eicar", document.StorageKey[Document.QuarantinePrefix.Length..], At));
    }

    [Fact]
    public void A_failed_scan_leaves_it_pending_and_schedules_the_next_try()
    {
        var document = Uploaded();
        document.ScanFailed(At, TimeSpan.FromSeconds(30));
        document.ScanFailed(At, TimeSpan.FromSeconds(60));
        Assert.Equal(ScanStatus.Pending, document.ScanStatus);
        Assert.Equal(2, document.ScanAttempts);
        Assert.Equal(At.AddSeconds(60), document.NextScanAt);
        Assert.False(document.IsReadable);
    }

    [Fact]
    public void A_document_stored_with_scanning_off_is_readable_and_still_awaits_a_scan()
    {
        var document = Uploaded();
        document.NotScanned();
        Assert.True(document.IsReadable);
        Assert.True(document.AwaitsScan);
        document.ScannedInfected("Eicar", Document.QuarantineKeyFor(document.StorageKey, Guid.NewGuid()), At);
        Assert.False(document.IsReadable);
    }
}
