using System.Text.Json.Nodes;

namespace CaseTransfer.Api.Hosting;

/// <summary>
/// The sharing operations' examples: CRC-CGM, holding X123456, asks NPS North West for a police (BIU) check before a
/// home visit on Monday 3 May 2027; the NPS provides it read-only for 30 days with the check's PDF; CRC-CGM shares
/// his previous convictions with CRC London ahead of a move, then revokes it.
/// </summary>
public sealed partial class OpenApiExamples
{
    private const string RequestId = "0193c1d2-7a8b-7c3d-9e4f-0123456789a1";
    private const string ShareId = "0193c1d2-7a8b-7c3d-9e4f-0123456789b2";
    private const string DocumentId = "0193c1d2-7a8b-7c3d-9e4f-0123456789c3";

    private const string RequestBody =
        """{"crn":"X123456","addresseeOrganisation":"NPS-NW","type":"PoliceIntelligence","otherType":null,"purpose":"Domestic abuse call-outs to his new address before a home visit","lawfulBasis":"LawEnforcementPurposes","urgency":"Urgent","dueDate":"2027-05-05"}""";

    private const string ProvideBody =
        """{"recipientUserIds":["cgm-po-02"],"mode":"ReadOnly","expiresAt":"2027-06-03T10:00:00Z","content":"Two call-outs to the address in 2026 (March, September); no arrests.","documentIds":["0193c1d2-7a8b-7c3d-9e4f-0123456789c3"],"withheld":null,"withheldReason":null}""";

    private const string ShareBody =
        """{"crn":"X123456","recipientOrganisation":"CRC-LDN","recipientUserIds":null,"type":"PreviousConvictions","otherType":null,"purpose":"To assess the risk he poses before his supervision moves to London","lawfulBasis":"ProbationPurposes","mode":"Copy","expiresAt":"2027-06-01T09:00:00Z","content":"Three previous convictions for assault (2015, 2017, 2019).","documentIds":null}""";

    private static readonly Dictionary<string, (string? Request, string Response)> SharingExamples = new()
    {
        ["RequestInformation"] = (RequestBody, InformationRequest(_ => { })),
        ["ListInformationRequests"] = (null, new JsonObject { ["items"] = new JsonArray(JsonNode.Parse(InformationRequest(_ => { }))), ["nextCursor"] = null }.ToJsonString()),
        ["GetInformationRequest"] = (null, InformationRequest(Provided)),
        ["ProvideInformation"] = (ProvideBody, InformationRequest(Provided)),
        ["RefuseInformationRequest"] = (
            """{"reason":"HeldByAnotherBody","text":"Ask Greater Manchester Police's BIU directly: the NPS holds no check on this address"}""",
            InformationRequest(r => Answered(r, "Refused", "nw-io-01", links: r =>
            {
                r["refusalReason"] = "HeldByAnotherBody";
                r["refusalText"] = "Ask Greater Manchester Police's BIU directly: the NPS holds no check on this address";
            }))),
        ["WithdrawInformationRequest"] = (null, InformationRequest(r => Answered(r, "Withdrawn", "cgm-io-01", links: _ => { }))),
        ["ShareInformation"] = (ShareBody, Share(_ => { })),
        ["ListShares"] = (null, new JsonObject { ["items"] = new JsonArray(JsonNode.Parse(Share(_ => { }))), ["nextCursor"] = null }.ToJsonString()),
        ["GetShare"] = (null, Share(_ => { })),
        ["UploadDocument"] = (null, DocumentExample().ToJsonString()),
        ["GetDocument"] = (null, DocumentExample().ToJsonString()),
        ["RevokeShare"] = (
            """{"reason":"He is no longer moving to London"}""",
            Share(s =>
            {
                s["live"] = false;
                s["revokedAt"] = "2027-05-06T11:00:00Z";
                s["revokedBy"] = "cgm-io-01";
                s["revocationReason"] = "He is no longer moving to London";
                s["version"] = 2;
                s["links"]!["revoke"] = null;
            })),
    };

    private static string InformationRequest(Action<JsonObject> change)
    {
        var self = $"/api/v1/information-requests/{RequestId}";
        var request = new JsonObject
        {
            ["id"] = RequestId,
            ["crn"] = "X123456",
            ["requesterOrganisation"] = "CRC-CGM",
            ["requestedBy"] = "cgm-io-01",
            ["requestedByName"] = "Dev Sharma",
            ["requestedAt"] = "2027-05-03T09:00:00Z",
            ["addresseeOrganisation"] = "NPS-NW",
            ["type"] = "PoliceIntelligence",
            ["otherType"] = null,
            ["purpose"] = "Domestic abuse call-outs to his new address before a home visit",
            ["lawfulBasis"] = "LawEnforcementPurposes",
            ["urgency"] = "Urgent",
            ["dueDate"] = "2027-05-05",
            ["dueBy"] = "2027-05-05T23:00:00Z",
            ["overdue"] = false,
            ["state"] = "Requested",
            ["answeredAt"] = null,
            ["answeredBy"] = null,
            ["shareId"] = null,
            ["refusalReason"] = null,
            ["refusalText"] = null,
            ["version"] = 1,
            ["links"] = new JsonObject
            {
                ["self"] = self,
                ["case"] = "/api/v1/cases/X123456",
                ["share"] = null,
                ["provide"] = $"{self}/provide",
                ["refuse"] = $"{self}/refuse",
                ["withdraw"] = null,
            },
        };
        change(request);
        return request.ToJsonString();
    }

    private static void Provided(JsonObject request) => Answered(request, "Provided", "nw-io-01", links: r =>
    {
        r["shareId"] = ShareId;
        r["links"]!["share"] = $"/api/v1/shares/{ShareId}";
    });

    private static void Answered(JsonObject request, string state, string by, Action<JsonObject> links)
    {
        request["state"] = state;
        request["answeredAt"] = "2027-05-04T15:30:00Z";
        request["answeredBy"] = by;
        request["version"] = 2;
        request["links"]!["provide"] = null;
        request["links"]!["refuse"] = null;
        links(request);
    }

    private static JsonObject DocumentExample() => new()
    {
        ["id"] = DocumentId,
        ["crn"] = "X123456",
        ["ownerOrganisation"] = "CRC-CGM",
        ["fileName"] = "pre-cons-X123456.pdf",
        ["title"] = "Previous convictions print",
        ["contentType"] = "application/pdf",
        ["length"] = 48213,
        ["sha256"] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        ["uploadedAt"] = "2027-05-04T15:00:00Z",
        ["scanStatus"] = "Clean",
        ["scanSignature"] = null,
        ["scannedAt"] = "2027-05-04T15:00:00Z",
        ["links"] = new JsonObject
        {
            ["self"] = $"/api/v1/documents/{DocumentId}",
            ["content"] = $"/api/v1/documents/{DocumentId}/content",
            ["download"] = $"/api/v1/documents/{DocumentId}/download",
        },
    };

    private static string Share(Action<JsonObject> change)
    {
        var self = $"/api/v1/shares/{ShareId}";
        var share = new JsonObject
        {
            ["id"] = ShareId,
            ["crn"] = "X123456",
            ["sharerOrganisation"] = "CRC-CGM",
            ["sharedBy"] = "cgm-io-01",
            ["sharedByName"] = "Dev Sharma",
            ["sharedAt"] = "2027-05-04T15:30:00Z",
            ["recipientOrganisation"] = "CRC-LDN",
            ["recipientUserIds"] = new JsonArray(),
            ["type"] = "PreviousConvictions",
            ["otherType"] = null,
            ["purpose"] = "To assess the risk he poses before his supervision moves to London",
            ["lawfulBasis"] = "ProbationPurposes",
            ["mode"] = "Copy",
            ["expiresAt"] = "2027-06-01T09:00:00Z",
            ["live"] = true,
            ["content"] = "Three previous convictions for assault (2015, 2017, 2019).",
            ["withheld"] = null,
            ["withheldReason"] = null,
            ["requestId"] = null,
            ["documents"] = new JsonArray(DocumentExample()),
            ["revokedAt"] = null,
            ["revokedBy"] = null,
            ["revocationReason"] = null,
            ["version"] = 1,
            ["links"] = new JsonObject
            {
                ["self"] = self,
                ["case"] = "/api/v1/cases/X123456",
                ["request"] = null,
                ["revoke"] = $"{self}/revoke",
            },
        };
        change(share);
        return share.ToJsonString();
    }
}
