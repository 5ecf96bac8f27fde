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
            """{"crn":"X123456","name":{"firstName":"John","middleNames":"Paul","lastName":"Smith"},"dateOfBirth":"1985-03-14","pncId":"2012/0052494Q","nomsNumber":"A1234BC","area":{"code":"GMAN","name":"Greater Manchester"},"holder":{"code":"NPS-NW","name":"NPS North West","since":"2026-10-01T09:00:00Z"},"responsibleOfficer":null,"currentRisk":null,"sentence":{"type":"CommunityOrder","sentenceDate":"2026-10-01","startDate":"2026-10-01","expectedEndDate":"2027-10-01","releaseDate":null,"licenceEndDate":null},"keyDates":{"sentenceDate":"2026-10-01","startDate":"2026-10-01","expectedEndDate":"2027-10-01","nextReleaseDate":null,"licenceEndDate":null,"nextRequirementEndDate":"2027-04-08"},"requirements":[],"pending":{"total":0,"items":[]},"version":1,"links":{"self":"/api/v1/cases/X123456","riskAssessments":"/api/v1/cases/X123456/risk-assessments","holders":"/api/v1/cases/X123456/holders","tiers":"/api/v1/cases/X123456/tiers"},"computedTier":{"tier":"C2","provisional":false,"missingFacts":[],"rulesetVersion":"2026.1","rulesetHash":"5f0c3a1e9b7d2c4f6a8e0b1d3c5e7f9a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e","computedAt":"2026-11-20T10:15:30Z"}}"""),
        ["RecordRiskAssessment"] = (
            """{"assessedOn":"2026-11-20","riskOfSeriousHarm":"Medium","rsrPercent":3.2,"ogrsPercent":41,"mappaCategory":"None","mappaLevel":"None","tier":"B2","flags":["DomesticAbuse"]}""",
            """{"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","crn":"X123456","assessedOn":"2026-11-20","riskOfSeriousHarm":"Medium","rsrPercent":3.2,"ogrsPercent":41,"mappaCategory":"None","mappaLevel":"None","tier":"B2","flags":["DomesticAbuse"],"recordedAt":"2026-11-20T10:15:30Z","recordedBy":"jbloggs","recordedByOrganisation":"NPS-NW","caseVersion":2}"""),
        ["GetRiskAssessments"] = (null,
            """[{"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","crn":"X123456","assessedOn":"2026-11-20","riskOfSeriousHarm":"Medium","rsrPercent":3.2,"ogrsPercent":41,"mappaCategory":"None","mappaLevel":"None","tier":"B2","flags":[],"recordedAt":"2026-11-20T10:15:30Z","recordedBy":"jbloggs","recordedByOrganisation":"NPS-NW","caseVersion":2}]"""),
        ["GetCaseHolders"] = (null,
            """[{"organisation":{"code":"NPS-NW","name":"NPS North West"},"responsibleOfficerId":null,"responsibleOfficerName":null,"from":"2026-10-01T09:00:00Z","to":null,"reason":"Case opened"}]"""),
        ["AssignResponsibleOfficer"] = (
            """{"practitionerId":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","capacityAcknowledgement":{"capacityPercent":96.7,"points":2104,"availablePoints":2176.0,"caseCount":29}}""",
            """{"crn":"X123456","version":3}"""),
        ["GetAccessLimits"] = (null,
            """[{"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","crn":"X123456","kind":"Exclusion","staffCode":"nw-po-02","reason":"Knows the family","addedBy":"nw-spo-01","addedAt":"2026-11-20T10:15:30Z","removedBy":null,"removedAt":null,"active":true,"caseVersion":4}]"""),
        ["AddAccessLimit"] = (
            """{"kind":"Exclusion","staffCode":"nw-po-02","reason":"Knows the family"}""",
            """{"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","crn":"X123456","kind":"Exclusion","staffCode":"nw-po-02","reason":"Knows the family","addedBy":"nw-spo-01","addedAt":"2026-11-20T10:15:30Z","removedBy":null,"removedAt":null,"active":true,"caseVersion":4}"""),
        ["RemoveAccessLimit"] = (null,
            """{"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","crn":"X123456","kind":"Exclusion","staffCode":"nw-po-02","reason":"Knows the family","addedBy":"nw-spo-01","addedAt":"2026-11-20T10:15:30Z","removedBy":"nw-spo-01","removedAt":"2026-11-21T09:00:00Z","active":false,"caseVersion":5}"""),
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
        ["ListOrganisations"] = (null,
            """[{"code":"CRC-CGM","name":"Cheshire and Greater Manchester CRC","kind":"Provider","parentCode":null,"owner":"Purple Futures","areas":[{"code":"GMAN","name":"Greater Manchester","npsRegionCode":"NPS-NW","providerCode":"CRC-CGM"}]}]"""),
        ["GetAllocationRulesets"] = (null,
            """[{"version":"2026.1","hash":"5f0c3a1e9b7d2c4f6a8e0b1d3c5e7f9a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e","active":true,"title":"Default allocation rules","effectiveFrom":"2026-01-01","rules":[{"id":"rosh-high-or-very-high","description":"The NPS keeps a case whose risk of serious harm is High or Very High."},{"id":"rsr-at-or-above-threshold","description":"The NPS keeps a case whose RSR score is at or above the threshold (rsrThreshold)."}]}]"""),
        ["PreviewAllocation"] = (
            """{"crn":"X123456","rulesetVersion":"2026.1"}""",
            """{"crn":"X123456","caseVersion":2,"decision":{"outcome":"AllocateToProvider","receivingOrganisationCode":"CRC-CGM","provisional":true,"missingFacts":["rsrPercent"],"rules":[{"ruleId":"rosh-high-or-very-high","description":"The NPS keeps a case whose risk of serious harm is High or Very High.","fired":false,"facts":[{"name":"rosh","value":"Medium"}],"missingFacts":[]},{"ruleId":"rsr-at-or-above-threshold","description":"The NPS keeps a case whose RSR score is at or above the threshold (rsrThreshold).","fired":false,"facts":[{"name":"rsrPercent","value":null},{"name":"rsrThreshold","value":"6.9"}],"missingFacts":["rsrPercent"]},{"ruleId":"otherwise","description":"Otherwise the case goes to the provider that covers its area.","fired":true,"facts":[{"name":"areaCode","value":"GMAN"}],"missingFacts":[]}],"rulesetVersion":"2026.1","rulesetHash":"5f0c3a1e9b7d2c4f6a8e0b1d3c5e7f9a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e","firedRules":["otherwise"]},"tier":{"tier":"C2","protectLevel":"C","changeLevel":2,"protectPoints":12,"changePoints":10,"breakdown":[{"component":"protect.rosh","fact":"rosh","value":"Medium","points":10,"note":null},{"component":"protect.rsr","fact":"rsrPercent","value":null,"points":0,"note":"missing: no points until it is known"},{"component":"protect.complexity","fact":"flags","value":"DomesticAbuse","points":2,"note":null},{"component":"change.ogrs","fact":"ogrsPercent","value":"41","points":4,"note":"at least 40"},{"component":"change.needs","fact":"requirements","value":"DrugRehabilitation","points":4,"note":null},{"component":"change.needs","fact":"requirements","value":"AccreditedProgramme","points":2,"note":null}],"missingFacts":["rsrPercent"],"rulesetVersion":"2026.1","rulesetHash":"5f0c3a1e9b7d2c4f6a8e0b1d3c5e7f9a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e","provisional":true}}"""),
        ["GetCaseTiers"] = (null,
            """[{"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","computedAt":"2026-11-20T10:15:30Z","riskAssessmentId":"0193c1d2-7a8b-7c3d-9e4f-0123456789ac","assessment":{"tier":"B1","protectLevel":"B","changeLevel":1,"protectPoints":22,"changePoints":4,"breakdown":[{"component":"protect.rosh","fact":"rosh","value":"High","points":20,"note":null},{"component":"protect.rsr","fact":"rsrPercent","value":"3.2","points":0,"note":"only the higher of rosh and rsr counts; rsr would give 10"},{"component":"protect.mappa","fact":"mappaLevel","value":"None","points":0,"note":null},{"component":"protect.complexity","fact":"flags","value":"DomesticAbuse","points":2,"note":null},{"component":"change.ogrs","fact":"ogrsPercent","value":"41","points":4,"note":"at least 40"},{"component":"change.needs","fact":"requirements","value":"none","points":0,"note":"none that score"}],"missingFacts":[],"rulesetVersion":"2026.1","rulesetHash":"5f0c3a1e9b7d2c4f6a8e0b1d3c5e7f9a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e","provisional":false}}]"""),
        ["CheckAllocationConsistency"] = (
            """{"areaCode":"GMAN","from":"2026-07-01T00:00:00Z","to":"2026-10-01T00:00:00Z","againstVersion":"2026.2"}""",
            """{"againstVersion":"2026.2","againstHash":"9a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9","areaCode":"GMAN","from":"2026-07-01T00:00:00Z","to":"2026-10-01T00:00:00Z","checked":412,"differUnderOwnRuleset":0,"differUnderAgainstVersion":1,"overrides":0,"truncated":false,"items":[{"allocationId":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","crn":"X123456","areaCode":"GMAN","proposedAt":"2026-08-03T10:15:30Z","state":"Accepted","toOrganisationCode":"CRC-CGM","isOverride":false,"overrideJustification":null,"stored":{"outcome":"AllocateToProvider","receivingOrganisationCode":"CRC-CGM","provisional":false,"rulesetVersion":"2026.1","rulesetHash":"5f0c3a1e9b7d2c4f6a8e0b1d3c5e7f9a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e","firedRules":["otherwise"]},"underOwnRuleset":{"rulesetVersion":"2026.1","rulesetHash":"5f0c3a1e9b7d2c4f6a8e0b1d3c5e7f9a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e","outcome":"AllocateToProvider","receivingOrganisationCode":"CRC-CGM","provisional":false,"differs":false,"firedRules":["otherwise"],"missingFacts":[],"why":[]},"underAgainstVersion":{"rulesetVersion":"2026.2","rulesetHash":"9a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9","outcome":"KeepWithNps","receivingOrganisationCode":"NPS-NW","provisional":false,"differs":true,"firedRules":["rsr-at-or-above-threshold"],"missingFacts":[],"why":["stored under 2026.1: AllocateToProvider to CRC-CGM by otherwise; re-run under 2026.2: KeepWithNps to NPS-NW by rsr-at-or-above-threshold","rule rsr-at-or-above-threshold fires under 2026.2: rsrPercent 6.6, rsrThreshold 6.5"]},"problems":[]}]}"""),
        ["ListPractitioners"] = (null,
            """[{"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","staffCode":"cgm-po-02","name":"Tom Riley","organisationCode":"CRC-CGM","grade":"Po","contractedHours":37.0,"availableHours":37.0,"caseloadCount":26,"points":2280,"availablePoints":2176.0,"capacityPercent":104.8}]"""),
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
