using System.Text.Json.Nodes;

namespace CaseTransfer.Api.Hosting;

/// <summary>The alert operations' examples: an emergency escalation of X123456 that NPS North West did not acknowledge by its deadline.</summary>
public sealed partial class OpenApiExamples
{
    private static readonly Dictionary<string, (string? Request, string Response)> AlertExamples = new()
    {
        ["ListAlerts"] = (null, new JsonObject { ["items"] = new JsonArray(JsonNode.Parse(Alert(_ => { }))), ["nextCursor"] = null }.ToJsonString()),
        ["GetAlert"] = (null, Alert(_ => { })),
        ["AcknowledgeAlert"] = (null, Alert(a =>
        {
            a["state"] = "Acknowledged";
            a["acknowledgedBy"] = "nw-spo-05";
            a["acknowledgedAt"] = "2027-03-28T01:40:00Z";
            a["version"] = 2;
        })),
        ["ResolveAlert"] = (null, Alert(a =>
        {
            a["state"] = "Resolved";
            a["resolvedBy"] = "nw-spo-05";
            a["resolvedAt"] = "2027-03-28T01:45:00Z";
            a["version"] = 2;
        })),
    };

    private static string Alert(Action<JsonObject> change)
    {
        const string id = "0193c1d2-7a8b-7c3d-9e4f-0123456789ef";
        var alert = new JsonObject
        {
            ["id"] = id,
            ["kind"] = "escalation-acknowledgement-overdue",
            ["crn"] = "X123456",
            ["subjectId"] = EscalationId,
            ["organisation"] = "NPS-NW",
            ["audience"] = "Everyone",
            ["state"] = "Open",
            ["why"] = "Emergency escalation not acknowledged by its deadline, 2027-03-28T02:30:00+01:00.",
            ["since"] = "2027-03-28T01:30:00Z",
            ["deadline"] = "2027-03-28T01:30:00Z",
            ["raisedAt"] = "2027-03-28T01:30:30Z",
            ["acknowledgedBy"] = null,
            ["acknowledgedAt"] = null,
            ["resolvedBy"] = null,
            ["resolvedAt"] = null,
            ["clearedBySystem"] = false,
            ["version"] = 1,
            ["links"] = new JsonObject
            {
                ["self"] = $"/api/v1/alerts/{id}",
                ["case"] = "/api/v1/cases/X123456",
                ["subject"] = $"/api/v1/escalations/{EscalationId}",
            },
        };
        change(alert);
        return alert.ToJsonString();
    }
}
