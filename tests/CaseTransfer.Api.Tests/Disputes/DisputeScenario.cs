using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Escalations;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Disputes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Disputes;

/// <summary>
/// The people either side of a dispute in the demo world (NPS North West and CRC-CGM, the parties to its allocations
/// and escalations) and the steps the tests take to reach a decision worth disputing.
/// </summary>
internal sealed class DisputeScenario(CaseTransferApp app, TimeProvider clock)
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Jade Thompson, a PSO of CRC-CGM: the officer named when a resolution gives the case to the provider.</summary>
    public static readonly Guid ProviderOfficer = new("00000000-0000-7000-8000-000000000012");

    public EscalationScenario Escalations { get; } = new(app, clock);

    public HttpClient ProviderManager(string userId = "cgm-tm-01") => app.ClientFor(CrcGreaterManchester, userId, Roles.TeamManager);

    public HttpClient NpsManager(string userId = "nw-tm-01") => app.ClientFor(NpsNorthWest, userId, Roles.TeamManager);

    public HttpClient ProviderHead() => app.ClientFor(CrcGreaterManchester, "cgm-hos-01", Roles.HeadOfService);

    public HttpClient NpsHead() => app.ClientFor(NpsNorthWest, "nw-hos-01", Roles.HeadOfService);

    /// <summary>Managers of a provider that is no party to anything here.</summary>
    public HttpClient Outsider() => app.ClientFor(CrcLondon, "crcl-tm-01", Roles.TeamManager, Roles.HeadOfService, Roles.CaseManager);

    /// <summary>An escalation NPS North West acknowledged and declined: the provider keeps the case.</summary>
    public async Task<JsonObject> DeclinedEscalationAsync(string area = "GMAN")
    {
        var requested = await Escalations.RequestedAsync(area: area);
        await EscalationScenario.DoneAsync(await Escalations.Decider().SendAsync(EscalationScenario.Post(EscalationScenario.Act(requested, "acknowledge"), null), Ct));
        return await EscalationScenario.DoneAsync(await Escalations.Decider().SendAsync(
            EscalationScenario.Post(EscalationScenario.Act(requested, "decline"), new { reason = "ManageableByProvider", text = "Weekly reporting" }), Ct));
    }

    /// <summary>An escalation NPS North West accepted: the region holds the case.</summary>
    public async Task<JsonObject> AcceptedEscalationAsync()
    {
        var acknowledged = await Escalations.AcknowledgedAsync();
        return await EscalationScenario.DoneAsync(await Escalations.Decider().SendAsync(
            EscalationScenario.Post(EscalationScenario.Act(acknowledged, "accept"), EscalationScenario.Acceptance()), Ct));
    }

    /// <summary>An allocation NPS North West proposed to CRC-CGM, which rejected it: the NPS keeps the case.</summary>
    public async Task<JsonObject> RejectedAllocationAsync()
    {
        var nps = Escalations.NpsAllocator();
        var crn = await CreateCaseAsync(nps);
        (await nps.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        var proposed = await nps.PostAsJsonAsync("/api/v1/allocations", new { crn, toOrganisation = CrcGreaterManchester, reason = "NewSentence" }, Ct);
        Assert.True(proposed.StatusCode == HttpStatusCode.Created, await proposed.Content.ReadAsStringAsync(Ct));
        var allocation = await proposed.ReadJsonAsync();
        return await EscalationScenario.DoneAsync(await Escalations.Provider().SendAsync(
            EscalationScenario.Post($"/api/v1/allocations/{Id(allocation)}/reject", new { reason = "InsufficientInformation", text = "No pre-sentence report" }), Ct));
    }

    public static Task<HttpResponseMessage> RaiseAsync(HttpClient client, string kind, JsonObject subject, string grounds = "The decision ignores the latest risk assessment") =>
        client.PostAsJsonAsync("/api/v1/disputes", new { subjectKind = kind, subjectId = Id(subject), grounds }, Ct);

    public static async Task<JsonObject> RaisedAsync(HttpClient client, string kind, JsonObject subject)
    {
        var response = await RaiseAsync(client, kind, subject);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"raise answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadJsonAsync();
    }

    /// <summary>CRC-CGM disputes a declined escalation of a case it holds.</summary>
    public async Task<JsonObject> DisputedDeclineAsync(string area = "GMAN") =>
        await RaisedAsync(ProviderManager(), "EscalationDecline", await DeclinedEscalationAsync(area));

    public static string Id(JsonObject resource) => resource["id"]!.GetValue<string>();

    public static string CrnOf(JsonObject dispute) => dispute["crn"]!.GetValue<string>();

    public static string Stage(JsonObject dispute) => dispute["stage"]!.GetValue<string>();

    public static string Act(JsonObject dispute, string action) => $"/api/v1/disputes/{Id(dispute)}/{action}";

    public static object Statement(string text) => new { text };

    public static HttpRequestMessage Post(string path, object? body, string? ifMatch = null) => EscalationScenario.Post(path, body, ifMatch);

    /// <summary>A change that was made: 200, with the receipt that its audit entry is in the log.</summary>
    public static Task<JsonObject> DoneAsync(HttpResponseMessage response) => EscalationScenario.DoneAsync(response);

    public async Task<DisputeSweepResult> SweepAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DisputeStageSweep>().RunAsync(Ct);
    }

    public Task<List<string>> EventsAsync(string crn) =>
        app.InDatabaseAsync(db => db.OutboxMessages.Where(o => o.Crn == crn).OrderBy(o => o.Sequence).Select(o => o.EventType).ToListAsync(Ct));

    public Task<string> HolderAsync(string crn) =>
        app.InDatabaseAsync(db => db.Cases.Where(c => c.Crn == Domain.Identifiers.Crn.Parse(crn)).Select(c => c.HolderOrganisationCode).SingleAsync(Ct));
}
