using System.Text.Json.Nodes;

namespace CaseTransfer.Api.Hosting;

/// <summary>
/// The dispute operations' examples: CRC-CGM disputes NPS North West's decline of an escalation of X123456 on Thursday
/// 29 April 2027, so the Local stage's five working days skip the weekend and the May Day bank holiday and end with
/// Friday 7 May (London time, BST); it lapses, and the heads of service resolve it.
/// </summary>
public sealed partial class OpenApiExamples
{
    private const string DisputeId = "0193c1d2-7a8b-7c3d-9e4f-0123456789ef";

    private static readonly Dictionary<string, (string? Request, string Response)> DisputeExamples = new()
    {
        ["RaiseDispute"] = (
            $$"""{"subjectKind":"EscalationDecline","subjectId":"{{EscalationId}}","grounds":"Two further incidents since the decline; the risk cannot be managed at the provider's reporting centre"}""",
            Dispute(_ => { })),
        ["ListDisputes"] = (null, new JsonObject { ["items"] = new JsonArray(JsonNode.Parse(Dispute(_ => { }))), ["nextCursor"] = null }.ToJsonString()),
        ["GetDispute"] = (null, Dispute(d => Lapsed(d))),
        ["AddDisputeStatement"] = (
            """{"text":"The incidents were reviewed at the MAPPA meeting on 30 April; the controls in the decline stand"}""",
            Dispute(d =>
            {
                d["statements"]!.AsArray().Add(JsonNode.Parse("""{"sequence":2,"stage":"Local","authorUserId":"nw-tm-01","authorName":"Sam Hughes","authorOrganisation":"NPS-NW","text":"The incidents were reviewed at the MAPPA meeting on 30 April; the controls in the decline stand","at":"2027-05-04T09:30:00Z"}"""));
                d["version"] = 2;
            })),
        ["MoveDisputeUp"] = (null, Dispute(d =>
        {
            Senior(d, "Request", "cgm-tm-01", "2027-05-04T14:00:00Z", "2027-05-18T23:00:00Z", "2027-05-19T00:00:00+01:00");
        })),
        ["ResolveDispute"] = (
            """{"outcome":"Upheld","text":"The NPS takes the case","newHolder":"NPS-NW","responsibleOfficerId":"00000000-0000-7000-8000-000000000001","capacityAcknowledgement":null}""",
            Dispute(d =>
            {
                Lapsed(d);
                var self = $"/api/v1/disputes/{DisputeId}";
                d["stage"] = "Resolved";
                d["stageEnteredAt"] = "2027-05-13T16:00:00Z";
                d["stageReachedBy"] = "Request";
                d["stageDueBy"] = null;
                d["stageDueByLondon"] = null;
                d["outcome"] = "Upheld";
                d["outcomeText"] = "The NPS takes the case";
                d["resolvedBy"] = "nw-hos-01";
                d["resolvedAt"] = "2027-05-13T16:00:00Z";
                d["newHolder"] = "NPS-NW";
                d["responsibleOfficerId"] = "00000000-0000-7000-8000-000000000001";
                d["stageChanges"]!.AsArray().Add(JsonNode.Parse("""{"sequence":3,"from":"Senior","to":"Resolved","cause":"Request","by":"nw-hos-01","at":"2027-05-13T16:00:00Z","dueBy":null}"""));
                d["version"] = 3;
                d["links"]!["statements"] = null;
                d["links"]!["resolve"] = null;
            })),
    };

    /// <summary>The dispute as raised, changed by <paramref name="change"/>, as JSON.</summary>
    private static string Dispute(Action<JsonObject> change)
    {
        var self = $"/api/v1/disputes/{DisputeId}";
        const string grounds = "Two further incidents since the decline; the risk cannot be managed at the provider's reporting centre";
        var dispute = new JsonObject
        {
            ["id"] = DisputeId,
            ["crn"] = "X123456",
            ["subject"] = new JsonObject { ["kind"] = "EscalationDecline", ["id"] = EscalationId, ["href"] = $"/api/v1/escalations/{EscalationId}" },
            ["npsOrganisation"] = "NPS-NW",
            ["provider"] = "CRC-CGM",
            ["raisedByOrganisation"] = "CRC-CGM",
            ["raisedBy"] = "cgm-tm-01",
            ["raisedAt"] = "2027-04-29T10:00:00Z",
            ["grounds"] = grounds,
            ["stage"] = "Local",
            ["stageEnteredAt"] = "2027-04-29T10:00:00Z",
            ["stageReachedBy"] = "Raised",
            ["stageDueBy"] = "2027-05-07T23:00:00Z",
            ["stageDueByLondon"] = "2027-05-08T00:00:00+01:00",
            ["overdue"] = false,
            ["outcome"] = null,
            ["outcomeText"] = null,
            ["resolvedBy"] = null,
            ["resolvedAt"] = null,
            ["newHolder"] = null,
            ["responsibleOfficerId"] = null,
            ["statements"] = new JsonArray(new JsonObject
            {
                ["sequence"] = 1,
                ["stage"] = "Local",
                ["authorUserId"] = "cgm-tm-01",
                ["authorName"] = "Jo Whitfield",
                ["authorOrganisation"] = "CRC-CGM",
                ["text"] = grounds,
                ["at"] = "2027-04-29T10:00:00Z",
            }),
            ["stageChanges"] = new JsonArray(JsonNode.Parse("""{"sequence":1,"from":null,"to":"Local","cause":"Raised","by":"cgm-tm-01","at":"2027-04-29T10:00:00Z","dueBy":"2027-05-07T23:00:00Z"}""")),
            ["version"] = 1,
            ["links"] = new JsonObject
            {
                ["self"] = self,
                ["case"] = "/api/v1/cases/X123456",
                ["subject"] = $"/api/v1/escalations/{EscalationId}",
                ["statements"] = $"{self}/statements",
                ["moveUp"] = $"{self}/move-up",
                ["resolve"] = $"{self}/resolve",
            },
        };
        change(dispute);
        return dispute.ToJsonString();
    }

    /// <summary>The Local stage passed its limit at the end of 7 May: the sweep moved it up a minute later.</summary>
    private static JsonObject Lapsed(JsonObject dispute) =>
        Senior(dispute, "Lapse", "system", "2027-05-07T23:01:00Z", "2027-05-21T23:00:00Z", "2027-05-22T00:00:00+01:00");

    private static JsonObject Senior(JsonObject dispute, string cause, string by, string at, string dueBy, string dueByLondon)
    {
        dispute["stage"] = "Senior";
        dispute["stageEnteredAt"] = at;
        dispute["stageReachedBy"] = cause;
        dispute["stageDueBy"] = dueBy;
        dispute["stageDueByLondon"] = dueByLondon;
        dispute["stageChanges"]!.AsArray().Add(new JsonObject
        {
            ["sequence"] = 2, ["from"] = "Local", ["to"] = "Senior", ["cause"] = cause, ["by"] = by, ["at"] = at, ["dueBy"] = dueBy,
        });
        dispute["version"] = 2;
        dispute["links"]!["moveUp"] = null;
        return dispute;
    }
}
