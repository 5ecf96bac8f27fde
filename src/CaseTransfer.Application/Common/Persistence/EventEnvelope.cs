using System.Buffers;
using System.Text;
using System.Text.Json;
using CaseTransfer.Domain.Common;

namespace CaseTransfer.Application.Common.Persistence;

/// <summary>
/// The partner-facing event shape (API conventions, "Events for partner systems"): references, not personal data.
/// <c>detailUrl</c> is stored as a path; delivery makes it absolute with the service's public base address.
/// </summary>
public static class EventEnvelope
{
    /// <summary>The names the envelope carries itself; the event's other properties go under <c>additionalInformation</c>.</summary>
    private static readonly string[] EnvelopeNames = ["eventType", "description", "occurredAt", "crn"];

    public static string Serialize(IDomainEvent domainEvent)
    {
        // Written straight to a buffer (no JsonNode tree): the same properties in the same order, with the options'
        // encoder and indentation, as building the envelope as a JsonObject and writing it out.
        var details = JsonSerializer.SerializeToUtf8Bytes(domainEvent, domainEvent.GetType(), AppJson.Options);
        using var document = JsonDocument.Parse(details);
        var buffer = new ArrayBufferWriter<byte>(details.Length + 512);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = AppJson.Options.Encoder, Indented = AppJson.Options.WriteIndented }))
        {
            writer.WriteStartObject();
            writer.WriteString("eventType", domainEvent.EventType);
            writer.WriteNumber("version", 1);
            writer.WritePropertyName("occurredAt");
            JsonSerializer.Serialize(writer, domainEvent.OccurredAt, AppJson.Options);
            writer.WriteString("description", domainEvent.Description);
            if (domainEvent.Crn is { } crn)
            {
                writer.WriteString("detailUrl", $"/api/v1/cases/{crn}");
                writer.WriteStartObject("personReference");
                writer.WriteStartArray("identifiers");
                writer.WriteStartObject();
                writer.WriteString("type", "CRN");
                writer.WriteString("value", crn);
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("detailUrl");
                writer.WriteNull("personReference");
            }

            writer.WriteStartObject("additionalInformation");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (Array.IndexOf(EnvelopeNames, property.Name) < 0)
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The envelopes of many events that differ only in their CRN (a bulk transfer's), serialised once: the
    /// event is serialised with a marker for the CRN and each CRN is put in the marker's places. A CRN that JSON
    /// would escape (not letters and digits only) is serialised in full, so the result is always exactly
    /// <see cref="Serialize"/>'s.
    /// </summary>
    public static Func<string, string> TemplateFor(Func<string, IDomainEvent> eventFor)
    {
        const string marker = "CRNMARKERQZXJ7Q";
        var parts = Serialize(eventFor(marker)).Split(marker);
        return crn => IsPlain(crn) && !crn.Contains(marker, StringComparison.Ordinal)
            ? string.Join(crn, parts)
            : Serialize(eventFor(crn));
    }

    private static bool IsPlain(string value) => value.Length > 0 && value.All(char.IsAsciiLetterOrDigit);
}
