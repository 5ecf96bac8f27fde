using System.Security.Cryptography;
using System.Text;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;

namespace CaseTransfer.Domain.Tests.Auditing;

/// <summary>The canonical bytes are what every leaf hash in every log was computed from: they may never change.</summary>
public class AuditEntryEncodingTests
{
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(1)).AddTicks(1_234_567);

    private static AuditEntry Disclosure() => new(
        Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), At, AuditOperation.Disclosure, "DiscloseCase", "nw-spo-01", "Siân O'Brien <SPO>",
        "NPS-NW", "client & co", "0af7651916cd43dd8448eb211c80319c", Crn.Parse("X123456"), "case", "X123456", 42,
        "fields: name+dob", "court order \"R v Smith\"\n2026", "CRC-GM,POL-GM");

    private static AuditEntry Consultation() => new(
        Guid.Parse("00000000-0000-7000-8000-0000000000ff"), new DateTimeOffset(999, 12, 31, 23, 59, 59, TimeSpan.Zero), AuditOperation.Consultation,
        "GetCaseSummary", "u", "U", "NPS", null, "t", null, null, null, null, null);

    [Fact]
    public void An_entry_encodes_to_the_documented_canonical_json()
    {
        Assert.Equal(
            """{"v":1,"id":"0f8fad5b-d9cb-469f-a165-70867728950e","occurredAt":"2026-03-04T04:06:07.123456Z","operation":"Disclosure","action":"DiscloseCase","actorUserId":"nw-spo-01","actorUserName":"Si\u00E2n O\u0027Brien \u003CSPO\u003E","actorOrganisation":"NPS-NW","clientId":"client \u0026 co","traceId":"0af7651916cd43dd8448eb211c80319c","crn":"X123456","resourceType":"case","resourceId":"X123456","resourceVersion":42,"summary":"fields: name\u002Bdob","justification":"court order \u0022R v Smith\u0022\n2026","recipients":"CRC-GM,POL-GM"}""",
            Encoding.UTF8.GetString(AuditEntryEncoding.Encode(Disclosure())));
        Assert.Equal(
            """{"v":1,"id":"00000000-0000-7000-8000-0000000000ff","occurredAt":"0999-12-31T23:59:59.000000Z","operation":"Consultation","action":"GetCaseSummary","actorUserId":"u","actorUserName":"U","actorOrganisation":"NPS","clientId":null,"traceId":"t","crn":null,"resourceType":null,"resourceId":null,"resourceVersion":null,"summary":null,"justification":null,"recipients":null}""",
            Encoding.UTF8.GetString(AuditEntryEncoding.Encode(Consultation())));
    }

    [Fact]
    public void The_leaf_hash_is_sha256_of_zero_then_the_encoding()
    {
        foreach (var entry in new[] { Disclosure(), Consultation() })
        {
            Assert.Equal(SHA256.HashData([0x00, .. AuditEntryEncoding.Encode(entry)]), AuditEntryEncoding.LeafHash(entry));
            Assert.Equal(AuditEntryEncoding.LeafHash(entry), AuditEntryEncoding.LeafHash(entry.Fields));
        }
    }
}
