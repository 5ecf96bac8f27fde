using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Escalations;

/// <summary>
/// The people either side of an escalation in the demo world, and the steps the tests take: a case CRC-CGM holds in
/// Greater Manchester (or Cheshire), whose risk it records and escalates to NPS North West.
/// </summary>
internal sealed class EscalationScenario(CaseTransferApp app, TimeProvider clock)
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Gareth Evans, a probation officer of NPS North West: the officer the region names on acceptance.</summary>
    public static readonly Guid RegionOfficer = GarethEvansNpsNw;

    public HttpClient NpsAllocator() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    /// <summary>A case manager of CRC-CGM, the provider holding the case.</summary>
    public HttpClient Provider() => app.ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager);

    /// <summary>An escalation decider of NPS North West, the region covering Greater Manchester and Cheshire.</summary>
    public HttpClient Decider(string userId = "nw-spo-05") => app.ClientFor(NpsNorthWest, userId, Roles.EscalationDecider);

    /// <summary>
    /// A case CRC-CGM holds, with Tom Riley as officer and a Medium risk assessment the NPS recorded: opened and
    /// assessed over HTTP, then handed to the provider directly in the database (the allocation workflow's own tests
    /// cover that path; a class of tests here would otherwise fill Tom Riley's caseload past capacity).
    /// </summary>
    public async Task<string> ProviderHeldCaseAsync(string area = "GMAN")
    {
        var nps = NpsAllocator();
        var crn = await CreateCaseAsync(nps, area: area);
        (await nps.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        await app.InDatabaseAsync(async db =>
        {
            var @case = await db.Cases.Include(c => c.Holdings).SingleAsync(c => c.Crn == Domain.Identifiers.Crn.Parse(crn), Ct);
            var officer = await db.Practitioners.SingleAsync(p => p.Id == TomRileyCrcCgm, Ct);
            @case.TransferTo(CrcGreaterManchester, clock.GetUtcNow(), "Allocation accepted (NewSentence)", officer);
            return await db.SaveChangesAsync(Ct);
        });
        return crn;
    }

    /// <summary>The provider records a High risk assessment: the rules now keep such a case with the NPS.</summary>
    public async Task<JsonObject> RecordHighRiskAsync(string crn)
    {
        var response = await Provider().PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("High"), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return await response.ReadJsonAsync();
    }

    public static JsonObject Request(string crn, string? riskAssessmentId, string urgency = "Standard", string reason = "RoshIncrease") => new()
    {
        ["crn"] = crn,
        ["reason"] = reason,
        ["reasonText"] = null,
        ["urgency"] = urgency,
        ["riskAssessmentId"] = riskAssessmentId,
        ["triggeringEvents"] = "Arrested for assault on his partner; released under investigation to the family home",
        ["documentReferences"] = new JsonArray("oasys:2027-000123", "police:GMP-27-03-1182"),
    };

    public Task<HttpResponseMessage> RequestAsync(string crn, string? riskAssessmentId, string urgency = "Standard", HttpClient? client = null) =>
        (client ?? Provider()).PostAsJsonAsync("/api/v1/escalations", Request(crn, riskAssessmentId, urgency), Ct);

    /// <summary>A provider-held case whose risk has risen, escalated: the escalation as the provider was answered.</summary>
    public async Task<JsonObject> RequestedAsync(string urgency = "Standard", string area = "GMAN")
    {
        var crn = await ProviderHeldCaseAsync(area);
        var assessment = await RecordHighRiskAsync(crn);
        var response = await RequestAsync(crn, Id(assessment), urgency);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"request answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadJsonAsync();
    }

    public async Task<JsonObject> AcknowledgedAsync(string urgency = "Standard")
    {
        var escalation = await RequestedAsync(urgency);
        return await DoneAsync(await Decider().SendAsync(Post(Act(escalation, "acknowledge"), null), Ct));
    }

    public static object Acceptance(Guid? officer = null, string reason = "RiskOfSeriousHarm") => new { reason, responsibleOfficerId = officer ?? RegionOfficer };

    public static string Id(JsonObject resource) => resource["id"]!.GetValue<string>();

    public static string Crn(JsonObject escalation) => escalation["case"]!["crn"]!.GetValue<string>();

    public static string State(JsonObject escalation) => escalation["state"]!.GetValue<string>();

    public static string Act(JsonObject escalation, string action) => $"/api/v1/escalations/{Id(escalation)}/{action}";

    public static HttpRequestMessage Post(string path, object? body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    /// <summary>A change that was made: 200, with the receipt that its audit entry is in the log.</summary>
    public static async Task<JsonObject> DoneAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        Assert.True(response.Headers.Contains("Audit-Receipt"), "a write must carry an Audit-Receipt");
        return await response.ReadJsonAsync();
    }

    public Task<List<string>> EventsAsync(string crn) =>
        app.InDatabaseAsync(db => db.OutboxMessages.Where(o => o.Crn == crn).OrderBy(o => o.Sequence).Select(o => o.EventType).ToListAsync(Ct));
}
