namespace CaseTransfer.Api.Hosting;

/// <summary>
/// The victim liaison operations' examples: the NPS victim liaison unit (vlu-nw-01, NPS North West) records an
/// exclusion zone on X123456, held by CRC-CGM, sets the contact reference and records the victim's details.
/// </summary>
public sealed partial class OpenApiExamples
{
    private const string VictimConditionId = "0193c1d2-7a8b-7c3d-9e4f-0123456789c1";

    private const string VictimConditionExample =
        """{"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789c1","crn":"X123456","kind":"ExclusionZone","description":"Must not enter the exclusion zone shown on the licence map","place":"Salford Quays","startsOn":"2026-11-20","endsOn":null,"current":true,"recordedBy":"vlu-nw-01","recordedByOrganisation":"NPS-NW","recordedAt":"2026-11-20T10:15:30Z","endedBy":null,"endedAt":null,"version":1}""";

    private static readonly Dictionary<string, (string? Request, string Response)> VictimLiaisonExamples = new()
    {
        ["RecordVictimCondition"] = (
            """{"kind":"ExclusionZone","description":"Must not enter the exclusion zone shown on the licence map","place":"Salford Quays","startsOn":"2026-11-20","endsOn":null}""",
            VictimConditionExample),
        ["GetVictimConditions"] = (null, $"[{VictimConditionExample}]"),
        ["EndVictimCondition"] = (null,
            VictimConditionExample.Replace("\"current\":true", "\"current\":false", StringComparison.Ordinal)
                .Replace("\"endedBy\":null,\"endedAt\":null,\"version\":1", "\"endedBy\":\"vlu-nw-01\",\"endedAt\":\"2027-01-05T09:00:00Z\",\"version\":2", StringComparison.Ordinal)),
        ["SetVictimContactReference"] = (
            """{"reference":"VLU-NW/2026/0042"}""",
            """{"crn":"X123456","contactReference":"VLU-NW/2026/0042","setBy":"vlu-nw-01","setByOrganisation":"NPS-NW","setAt":"2026-11-20T10:15:30Z","version":1}"""),
        ["RecordVictim"] = (
            """{"name":"Jane Example","address":"1 Example Street, Salford M5 0AA","phone":"0161 496 0000","email":"jane@example.org","relationship":"Former partner","notes":"Prefers contact by email"}""",
            """{"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789c2","crn":"X123456","recordedBy":"vlu-nw-01","recordedAt":"2026-11-20T10:15:30Z","fieldsRecorded":["name","address","phone","email","relationship","notes"]}"""),
        ["GetVictims"] = (null,
            """[{"id":"0193c1d2-7a8b-7c3d-9e4f-0123456789c2","crn":"X123456","name":"Jane Example","address":"1 Example Street, Salford M5 0AA","phone":"0161 496 0000","email":"jane@example.org","relationship":"Former partner","notes":"Prefers contact by email","recordedBy":"vlu-nw-01","recordedByOrganisation":"NPS-NW","recordedAt":"2026-11-20T10:15:30Z"}]"""),
    };

    /// <summary>The case summary's victimLiaison: what the unit asks of the holder.</summary>
    private static string VictimLiaisonSummaryExample => $$"""{"contactReference":"VLU-NW/2026/0042","conditions":[{{VictimConditionExample}}]}""";
}
