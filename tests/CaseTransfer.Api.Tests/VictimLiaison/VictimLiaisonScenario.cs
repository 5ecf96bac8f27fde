using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Escalations;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using static CaseTransfer.Api.Tests.Escalations.EscalationScenario;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.VictimLiaison;

/// <summary>
/// The NPS victim liaison unit (national NPS, role victim-liaison) and the provider holding the case (CRC-CGM), with
/// the steps the tests take: conditions, the contact reference, a victim's details.
/// </summary>
internal sealed class VictimLiaisonScenario(CaseTransferApp app)
{
    public EscalationScenario Escalations { get; } = new(app, TimeProvider.System);

    /// <summary>A victim liaison officer of the national NPS unit.</summary>
    public HttpClient Unit(string organisation = Nps) => app.ClientFor(organisation, "vlu-01", Roles.VictimLiaison);

    /// <summary>The holding provider's case manager (CRC-CGM).</summary>
    public HttpClient Holder() => Escalations.Provider();

    public static JsonObject ExclusionZone(string place = "Salford Quays", string description = "Must not enter the exclusion zone shown on the licence map") => new()
    {
        ["kind"] = "ExclusionZone",
        ["description"] = description,
        ["place"] = place,
        ["startsOn"] = "2026-01-01",
        ["endsOn"] = null,
    };

    public static JsonObject NoContact() => new()
    {
        ["kind"] = "NoContact",
        ["description"] = "No contact with the victim or her children, directly or through others",
        ["place"] = null,
        ["startsOn"] = "2026-01-01",
        ["endsOn"] = "2099-12-31",
    };

    public async Task<JsonObject> RecordConditionAsync(string crn, JsonObject condition)
    {
        var response = await Unit().PostAsJsonAsync($"/api/v1/cases/{crn}/victim-conditions", condition, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadJsonAsync();
    }

    public async Task SetContactReferenceAsync(string crn, string reference)
    {
        var response = await Unit().PutAsJsonAsync($"/api/v1/cases/{crn}/victim-contact", new { reference }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
    }

    public async Task<JsonObject> RecordVictimAsync(string crn, object victim)
    {
        var response = await Unit().PostAsJsonAsync($"/api/v1/cases/{crn}/victims", victim, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadJsonAsync();
    }
}
