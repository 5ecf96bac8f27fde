using System.Text.Json.Nodes;

namespace CaseTransfer.Api.Hosting;

/// <summary>
/// The escalation operations' examples: one emergency escalation of X123456 by CRC-CGM to NPS North West, requested at
/// 00:30 on the night the clocks go forward (so its acknowledgeByLondon shows the BST offset), shown at each step.
/// </summary>
public sealed partial class OpenApiExamples
{
    private const string EscalationId = "0193c1d2-7a8b-7c3d-9e4f-0123456789cd";

    private static readonly Dictionary<string, (string? Request, string Response)> EscalationExamples = new()
    {
        ["RequestEscalation"] = (
            """{"crn":"X123456","reason":"RoshIncrease","reasonText":null,"urgency":"Emergency","riskAssessmentId":null,"riskAssessment":{"assessedOn":"2027-03-27","riskOfSeriousHarm":"High","rsrPercent":7.1,"ogrsPercent":63,"mappaCategory":"None","mappaLevel":"None","tier":"A2","flags":["DomesticAbuse"]},"triggeringEvents":"Arrested on 27 March for assault on his partner; released under investigation to the family home","documentReferences":["oasys:2027-000123","police:GMP-27-03-1182"]}""",
            Escalation(_ => { })),
        ["ListEscalations"] = (null, new JsonObject { ["items"] = new JsonArray(JsonNode.Parse(Escalation(_ => { }))), ["nextCursor"] = null }.ToJsonString()),
        ["GetEscalation"] = (null, Escalation(_ => { })),
        ["AcknowledgeEscalation"] = (null, Escalation(e => Acknowledged(e))),
        ["AcceptEscalation"] = (
            """{"reason":"RiskOfSeriousHarm","text":null,"responsibleOfficerId":"00000000-0000-7000-8000-000000000001","capacityAcknowledgement":null}""",
            Escalation(e =>
            {
                Decided(Acknowledged(e), "Accepted", "nw-spo-01");
                e["acceptanceReason"] = "RiskOfSeriousHarm";
                e["responsibleOfficerId"] = "00000000-0000-7000-8000-000000000001";
                e["handoverUntil"] = "2027-04-11T01:10:00Z";
            })),
        ["DeclineEscalation"] = (
            """{"reason":"ManageableByProvider","text":"Weekly reporting and an approved address; review at the next OASys"}""",
            Escalation(e =>
            {
                Decided(Acknowledged(e), "Declined", "nw-spo-01");
                e["declineReason"] = "ManageableByProvider";
                e["decisionText"] = "Weekly reporting and an approved address; review at the next OASys";
            })),
        ["WithdrawEscalation"] = (
            """{"text":"Remanded in custody this morning"}""",
            Escalation(e =>
            {
                Decided(e, "Withdrawn", "cgm-po-02");
                e["decisionText"] = "Remanded in custody this morning";
            })),
    };

    /// <summary>The requested escalation, changed by <paramref name="change"/>, as JSON.</summary>
    private static string Escalation(Action<JsonObject> change)
    {
        var self = $"/api/v1/escalations/{EscalationId}";
        var escalation = new JsonObject
        {
            ["id"] = EscalationId,
            ["case"] = JsonNode.Parse("""{"crn":"X123456","name":{"firstName":"John","middleNames":"Paul","lastName":"Smith"},"dateOfBirth":"1985-03-14","area":{"code":"GMAN","name":"Greater Manchester"},"tier":"A2","riskOfSeriousHarm":"High","sentenceType":"CommunityOrder"}"""),
            ["provider"] = "CRC-CGM",
            ["npsRegion"] = "NPS-NW",
            ["reason"] = "RoshIncrease",
            ["reasonText"] = null,
            ["urgency"] = "Emergency",
            ["riskAssessment"] = JsonNode.Parse("""{"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","crn":"X123456","assessedOn":"2027-03-27","riskOfSeriousHarm":"High","rsrPercent":7.1,"ogrsPercent":63,"mappaCategory":"None","mappaLevel":"None","tier":"A2","flags":["DomesticAbuse"],"recordedAt":"2027-03-28T00:30:00Z","recordedBy":"cgm-po-02","recordedByOrganisation":"CRC-CGM","caseVersion":7}"""),
            ["triggeringEvents"] = "Arrested on 27 March for assault on his partner; released under investigation to the family home",
            ["documentReferences"] = new JsonArray("oasys:2027-000123", "police:GMP-27-03-1182"),
            ["requestedBy"] = "cgm-po-02",
            ["requestedAt"] = "2027-03-28T00:30:00Z",
            ["acknowledgeBy"] = "2027-03-28T01:30:00Z",
            ["acknowledgeByLondon"] = "2027-03-28T02:30:00+01:00",
            ["decideBy"] = null,
            ["decideByLondon"] = null,
            ["overdue"] = false,
            ["state"] = "Requested",
            ["acknowledgedBy"] = null,
            ["acknowledgedAt"] = null,
            ["decidedBy"] = null,
            ["decidedAt"] = null,
            ["acceptanceReason"] = null,
            ["declineReason"] = null,
            ["decisionText"] = null,
            ["responsibleOfficerId"] = null,
            ["handoverUntil"] = null,
            ["version"] = 1,
            ["links"] = new JsonObject
            {
                ["self"] = self,
                ["case"] = "/api/v1/cases/X123456",
                ["acknowledge"] = $"{self}/acknowledge",
                ["accept"] = null,
                ["decline"] = null,
                ["withdraw"] = $"{self}/withdraw",
            },
        };
        change(escalation);
        return escalation.ToJsonString();
    }

    private static JsonObject Acknowledged(JsonObject escalation)
    {
        var self = $"/api/v1/escalations/{EscalationId}";
        escalation["state"] = "Acknowledged";
        escalation["acknowledgedBy"] = "nw-spo-01";
        escalation["acknowledgedAt"] = "2027-03-28T00:52:00Z";
        escalation["version"] = 2;
        escalation["links"]!["acknowledge"] = null;
        escalation["links"]!["accept"] = $"{self}/accept";
        escalation["links"]!["decline"] = $"{self}/decline";
        return escalation;
    }

    private static void Decided(JsonObject escalation, string state, string by)
    {
        escalation["state"] = state;
        escalation["decidedBy"] = by;
        escalation["decidedAt"] = "2027-03-28T01:10:00Z";
        escalation["version"] = escalation["version"]!.GetValue<int>() + 1;
        foreach (var action in new[] { "acknowledge", "accept", "decline", "withdraw" })
        {
            escalation["links"]![action] = null;
        }
    }
}
