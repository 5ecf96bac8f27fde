namespace CaseTransfer.Api.Hosting;

/// <summary>
/// The events feed's example: CRC-CGM's partner system, served at https://case-transfer.example, reads that X123456
/// moved to it and that its new risk assessment was recorded; the next poll resumes after the second.
/// </summary>
public sealed partial class OpenApiExamples
{
    private static readonly Dictionary<string, (string? Request, string Response)> EventExamples = new()
    {
        ["ReadEvents"] = (null, """
            {"items":[
            {"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789e1","cursor":"0193c1d2-7a8b-7c3d-9e4f-0123456789e1","eventType":"case-transfer.case.holder-changed","version":1,"occurredAt":"2026-11-24T10:15:30Z","description":"Case moved to another organisation","detailUrl":"https://case-transfer.example/api/v1/cases/X123456","personReference":{"identifiers":[{"type":"CRN","value":"X123456"}]},"additionalInformation":{"fromOrganisation":"NPS-NW","toOrganisation":"CRC-CGM"}},
            {"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789e2","cursor":"0193c1d2-7a8b-7c3d-9e4f-0123456789e2","eventType":"case-transfer.risk-assessment.recorded","version":1,"occurredAt":"2026-11-25T09:00:00Z","description":"Risk assessment recorded","detailUrl":"https://case-transfer.example/api/v1/cases/X123456","personReference":{"identifiers":[{"type":"CRN","value":"X123456"}]},"additionalInformation":{"riskAssessmentId":"0193c1d2-7a8b-7c3d-9e4f-0123456789e3","rosh":"Medium"}}
            ],"nextCursor":"0193c1d2-7a8b-7c3d-9e4f-0123456789e2"}
            """),
    };
}
