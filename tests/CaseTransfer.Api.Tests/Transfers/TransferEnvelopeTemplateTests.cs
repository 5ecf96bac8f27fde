using CaseTransfer.Application.Common.Persistence;
using CaseTransfer.Domain.Cases;

namespace CaseTransfer.Api.Tests.Transfers;

/// <summary>A bulk transfer serialises its events' envelope once per batch; each must be exactly what one event's would be.</summary>
public sealed class TransferEnvelopeTemplateTests
{
    private static readonly CaseHolderChanged Sample = new("X000001", "N07", "N53", new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("X123456")]
    [InlineData("A000000")]
    [InlineData("not a <crn> \"quoted\" +é")]
    [InlineData("CRNMARKERQZXJ7Q")]
    public void The_template_gives_what_serialising_the_event_gives(string crn)
    {
        var envelope = EventEnvelope.TemplateFor(c => Sample with { Crn = c });

        Assert.Equal(EventEnvelope.Serialize(Sample with { Crn = crn }), envelope(crn));
    }

    [Fact]
    public void Outbox_messages_for_each_crn_are_what_For_makes()
    {
        var now = DateTimeOffset.UtcNow;
        var crns = new[] { "X123456", "Y654321" };

        var messages = OutboxMessage.ForEachCrn(c => Sample with { Crn = c }, crns, now, "|NPS-NW|CRC-CGM|");

        Assert.Equal(crns.Length, messages.Count);
        for (var i = 0; i < crns.Length; i++)
        {
            var expected = OutboxMessage.For(Sample with { Crn = crns[i] }, now, "|NPS-NW|CRC-CGM|");
            Assert.Equal((expected.EventType, expected.OccurredAt, expected.Crn, expected.Payload), (messages[i].EventType, messages[i].OccurredAt, messages[i].Crn, messages[i].Payload));
            Assert.Equal(expected.Audience, messages[i].Audience);
        }

        Assert.Equal(crns.Length, messages.Select(m => m.Id).Distinct().Count());
    }
}
