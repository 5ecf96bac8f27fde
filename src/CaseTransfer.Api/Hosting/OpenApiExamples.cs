using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CaseTransfer.Api.Hosting;

/// <summary>An example request (where there is a body) and an example success response for every operation.</summary>
public sealed class OpenApiExamples : IOperationFilter
{
    private static readonly Dictionary<string, (string? Request, string Response)> Examples = new()
    {
        ["CreateCase"] = (
            """{"crn":"X123456","firstName":"John","middleNames":"Paul","lastName":"Smith","dateOfBirth":"1985-03-14","pncId":"2012/0052494Q","nomsNumber":"A1234BC","areaCode":"GMAN","sentence":{"type":"CommunityOrder","sentenceDate":"2026-10-01","startDate":"2026-10-01","expectedEndDate":"2027-10-01","releaseDate":null,"licenceEndDate":null},"requirements":[{"type":"UnpaidWork","startDate":"2026-10-08","expectedEndDate":"2027-04-08"}]}""",
            """{"crn":"X123456","version":1}"""),
        ["SearchCases"] = (null,
            """{"items":[{"crn":"X123456","name":{"firstName":"John","middleNames":"Paul","lastName":"Smith"},"dateOfBirth":"1985-03-14","pncId":"2012/0052494Q","nomsNumber":"A1234BC","holderOrganisationCode":"NPS-NW","score":0.93,"matchedOn":"name"}],"nextCursor":null}"""),
        ["GetCase"] = (null,
            """{"crn":"X123456","name":{"firstName":"John","middleNames":"Paul","lastName":"Smith"},"dateOfBirth":"1985-03-14","pncId":"2012/0052494Q","nomsNumber":"A1234BC","area":{"code":"GMAN","name":"Greater Manchester"},"holder":{"code":"NPS-NW","name":"NPS North West","since":"2026-10-01T09:00:00Z"},"responsibleOfficer":null,"currentRisk":null,"sentence":{"type":"CommunityOrder","sentenceDate":"2026-10-01","startDate":"2026-10-01","expectedEndDate":"2027-10-01","releaseDate":null,"licenceEndDate":null},"keyDates":{"sentenceDate":"2026-10-01","startDate":"2026-10-01","expectedEndDate":"2027-10-01","nextReleaseDate":null,"licenceEndDate":null,"nextRequirementEndDate":"2027-04-08"},"requirements":[],"pending":{"total":0,"items":[]},"version":1,"links":{"self":"/api/v1/cases/X123456","riskAssessments":"/api/v1/cases/X123456/risk-assessments","holders":"/api/v1/cases/X123456/holders"}}"""),
        ["RecordRiskAssessment"] = (
            """{"assessedOn":"2026-11-20","riskOfSeriousHarm":"Medium","rsrPercent":3.2,"ogrsPercent":41,"mappaCategory":"None","mappaLevel":"None","tier":"B2","flags":["DomesticAbuse"]}""",
            """{"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","crn":"X123456","assessedOn":"2026-11-20","riskOfSeriousHarm":"Medium","rsrPercent":3.2,"ogrsPercent":41,"mappaCategory":"None","mappaLevel":"None","tier":"B2","flags":["DomesticAbuse"],"recordedAt":"2026-11-20T10:15:30Z","recordedBy":"jbloggs","recordedByOrganisation":"NPS-NW","caseVersion":2}"""),
        ["GetRiskAssessments"] = (null,
            """[{"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","crn":"X123456","assessedOn":"2026-11-20","riskOfSeriousHarm":"Medium","rsrPercent":3.2,"ogrsPercent":41,"mappaCategory":"None","mappaLevel":"None","tier":"B2","flags":[],"recordedAt":"2026-11-20T10:15:30Z","recordedBy":"jbloggs","recordedByOrganisation":"NPS-NW","caseVersion":2}]"""),
        ["GetCaseHolders"] = (null,
            """[{"organisation":{"code":"NPS-NW","name":"NPS North West"},"responsibleOfficerId":null,"responsibleOfficerName":null,"from":"2026-10-01T09:00:00Z","to":null,"reason":"Case opened"}]"""),
        ["AssignResponsibleOfficer"] = (
            """{"practitionerId":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab"}""",
            """{"crn":"X123456","version":3}"""),
        ["GetAuditTrail"] = (null,
            """{"items":[{"sequence":42,"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","occurredAt":"2026-11-20T10:15:30.123456Z","operation":"Consultation","action":"GetCaseSummary","actorUserId":"nw-spo-01","actorUserName":"Priya Patel","actorOrganisation":"NPS-NW","clientId":"case-transfer-cli","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","crn":"X123456","resourceType":"case","resourceId":"X123456","resourceVersion":3,"summary":"case summary","justification":null,"recipients":null}],"nextCursor":"42"}"""),
        ["GetDisclosureLog"] = (null,
            """[{"occurredAt":"2026-11-20T10:15:30.123456Z","operation":"Consultation","action":"GetCaseSummary","actorUserId":"cgm-po-02","actorUserName":"Tom Riley","actorOrganisation":"CRC-CGM","clientId":"case-transfer-cli","resourceType":"case","justification":null,"recipients":null}]"""),
        ["GetCheckpoints"] = (null,
            """[{"treeSize":1042,"rootHash":"3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","signedAt":"2026-11-20T10:15:40Z","note":"case-transfer.example/audit-log\n1042\n3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 case-transfer.example/audit-log AAAAAA...\n"}]"""),
        ["GetLedgerPublicKey"] = (null,
            """{"origin":"case-transfer.example/audit-log","verifierKey":"case-transfer.example/audit-log+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW","algorithm":"Ed25519","maxMergeDelaySeconds":60}"""),
        ["GetInclusionProof"] = (null,
            """{"leafIndex":7,"treeSize":1042,"entryId":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","leafHash":"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=","rootHash":"3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","auditPath":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c="]}"""),
        ["GetConsistencyProof"] = (null,
            """{"from":1000,"to":1042,"fromRootHash":"XcnaeacGWamtVZy3Ad7Zoqudgjqt9Jpgz+Nw7vRgQyg=","toRootHash":"3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","proof":["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c="]}"""),
        ["VerifyLedger"] = (
            """{"keptCheckpoints":["case-transfer.example/audit-log\n1000\nXcnaeacGWamtVZy3Ad7Zoqudgjqt9Jpgz+Nw7vRgQyg=\n\n\u2014 case-transfer.example/audit-log AAAAAA...\n"]}""",
            """{"intact":true,"treeSize":1042,"rootHash":"3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","checkpointsChecked":12,"problems":[]}"""),
        ["ScheduleTransfer"] = (
            """{"fromOrganisation":"CRC-CGM","toOrganisation":"NPS-NW","areaCode":null,"effectiveAt":"2026-12-01T00:00:00Z","reason":"Reunification of offender management"}""",
            """{"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","fromOrganisation":"CRC-CGM","toOrganisation":"NPS-NW","areaCode":null,"effectiveAt":"2026-12-01T00:00:00Z","reason":"Reunification of offender management","state":"Scheduled","counts":{"total":24873,"moved":0,"skipped":0,"pending":24873},"timings":{"requestedAt":"2026-11-27T09:00:00Z","startedAt":null,"completedAt":null,"elapsedSeconds":null},"requestedBy":{"userId":"nps-mgr-01","name":"Dana Whitfield","organisation":"NPS"},"failure":null,"report":{"skippedByReason":[],"skipped":[]},"version":1,"links":{"self":"/api/v1/transfers/0193c1d2-7a8b-7c3d-9e4f-0123456789ab","items":"/api/v1/transfers/0193c1d2-7a8b-7c3d-9e4f-0123456789ab/items","moved":"/api/v1/transfers/0193c1d2-7a8b-7c3d-9e4f-0123456789ab/items?outcome=Moved","skipped":"/api/v1/transfers/0193c1d2-7a8b-7c3d-9e4f-0123456789ab/items?outcome=Skipped"}}"""),
        ["GetTransferJob"] = (null,
            """{"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","fromOrganisation":"CRC-CGM","toOrganisation":"NPS-NW","areaCode":null,"effectiveAt":"2026-12-01T00:00:00Z","reason":"Reunification of offender management","state":"Completed","counts":{"total":24873,"moved":24871,"skipped":2,"pending":0},"timings":{"requestedAt":"2026-11-27T09:00:00Z","startedAt":"2026-12-01T00:00:00.4Z","completedAt":"2026-12-01T00:00:03.1Z","elapsedSeconds":2.7},"requestedBy":{"userId":"nps-mgr-01","name":"Dana Whitfield","organisation":"NPS"},"failure":null,"report":{"skippedByReason":[{"reason":"an allocation of the case is open; decide or withdraw it, then move the case","count":2}],"skipped":[{"sequence":118,"crn":"X123456","outcome":"Skipped","skipReason":"an allocation of the case is open; decide or withdraw it, then move the case","processedAt":"2026-12-01T00:00:00.5Z"}]},"version":8,"links":{"self":"/api/v1/transfers/0193c1d2-7a8b-7c3d-9e4f-0123456789ab","items":"/api/v1/transfers/0193c1d2-7a8b-7c3d-9e4f-0123456789ab/items","moved":"/api/v1/transfers/0193c1d2-7a8b-7c3d-9e4f-0123456789ab/items?outcome=Moved","skipped":"/api/v1/transfers/0193c1d2-7a8b-7c3d-9e4f-0123456789ab/items?outcome=Skipped"}}"""),
        ["ListTransferItems"] = (null,
            """{"items":[{"sequence":1,"crn":"X123456","outcome":"Moved","skipReason":null,"processedAt":"2026-12-01T00:00:00.5Z"}],"nextCursor":"1"}"""),
        ["ListOrganisations"] = (null,
            """[{"code":"CRC-CGM","name":"Cheshire and Greater Manchester CRC","kind":"Provider","parentCode":null,"owner":"Purple Futures","areas":[{"code":"GMAN","name":"Greater Manchester","npsRegionCode":"NPS-NW","providerCode":"CRC-CGM"}]}]"""),
        ["ListPractitioners"] = (null,
            """[{"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","staffCode":"cgm-po-01","name":"Amira Khan","organisationCode":"CRC-CGM","grade":"Po","contractedHours":37}]"""),
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId is null || !Examples.TryGetValue(operation.OperationId, out var example))
        {
            return;
        }

        if (example.Request is not null && operation.RequestBody?.Content is { } requestContent)
        {
            foreach (var media in requestContent.Values)
            {
                media.Example = JsonNode.Parse(example.Request);
            }
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (status.StartsWith('2') && response.Content is { } content)
            {
                foreach (var media in content.Values)
                {
                    media.Example = JsonNode.Parse(example.Response);
                }
            }
        }

    }
}
