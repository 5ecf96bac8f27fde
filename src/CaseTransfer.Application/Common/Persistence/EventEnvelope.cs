using System.Text.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Domain.Common;

namespace CaseTransfer.Application.Common.Persistence;

/// <summary>
/// The partner-facing event shape (API conventions, "Events for partner systems"): references, not personal data.
/// <c>detailUrl</c> is stored as a path; delivery makes it absolute with the service's public base address.
/// </summary>
public static class EventEnvelope
{
    public static string Serialize(IDomainEvent domainEvent)
    {
        var details = JsonSerializer.SerializeToNode(domainEvent, domainEvent.GetType(), AppJson.Options)!.AsObject();
        foreach (var name in new[] { "eventType", "description", "occurredAt", "crn" })
        {
            details.Remove(name);
        }

        var envelope = new JsonObject
        {
            ["eventType"] = domainEvent.EventType,
            ["version"] = 1,
            ["occurredAt"] = JsonSerializer.SerializeToNode(domainEvent.OccurredAt, AppJson.Options),
            ["description"] = domainEvent.Description,
            ["detailUrl"] = domainEvent.Crn is null ? null : $"/api/v1/cases/{domainEvent.Crn}",
            ["personReference"] = domainEvent.Crn is null
                ? null
                : new JsonObject { ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "CRN", ["value"] = domainEvent.Crn }) },
            ["additionalInformation"] = details,
        };
        return envelope.ToJsonString(AppJson.Options);
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
