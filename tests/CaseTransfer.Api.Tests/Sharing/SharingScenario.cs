using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Escalations;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Sharing;

/// <summary>
/// The people either side of information sharing in the demo world: a case CRC-CGM holds (NPS North West held it
/// before), shared with CRC London, whose staff are a named recipient and another officer; CRC Merseyside is a third
/// organisation that never sees anything.
/// </summary>
internal sealed class SharingScenario(CaseTransferApp app, TimeProvider clock)
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public const string NamedRecipientId = "lon-po-01";
    public const string OtherRecipientStaffId = "lon-po-02";

    private readonly EscalationScenario _cases = new(app, clock);

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>An information officer of CRC-CGM, the provider holding the case.</summary>
    public HttpClient Holder() => app.ClientFor(CrcGreaterManchester, "cgm-io-01", Roles.InformationOfficer, Roles.CaseManager);

    /// <summary>A case manager of CRC London: the person a named share names.</summary>
    public HttpClient NamedRecipient() => app.ClientFor(CrcLondon, NamedRecipientId, Roles.CaseManager, Roles.InformationOfficer);

    /// <summary>Another case manager of CRC London.</summary>
    public HttpClient OtherRecipientStaff() => app.ClientFor(CrcLondon, OtherRecipientStaffId, Roles.CaseManager, Roles.InformationOfficer);

    /// <summary>A case manager of CRC Merseyside: a third organisation.</summary>
    public HttpClient ThirdOrganisation() => app.ClientFor(CrcMerseyside, "mer-po-01", Roles.CaseManager, Roles.InformationOfficer);

    /// <summary>An information officer of NPS North West, which held the case before the provider.</summary>
    public HttpClient Nps() => app.ClientFor(NpsNorthWest, "nw-io-01", Roles.InformationOfficer, Roles.CaseManager);

    public Task<string> ProviderHeldCaseAsync() => _cases.ProviderHeldCaseAsync();

    public JsonObject Share(string crn, string mode = "ReadOnly", string recipient = CrcLondon, string[]? named = null, TimeSpan? lasting = null, string? content = "Three previous convictions for assault (2015, 2017, 2019).", string[]? documents = null) => new()
    {
        ["crn"] = crn,
        ["recipientOrganisation"] = recipient,
        ["recipientUserIds"] = named is null ? null : new JsonArray([.. named.Select(n => (JsonNode?)n)]),
        ["type"] = "PreviousConvictions",
        ["otherType"] = null,
        ["purpose"] = "To assess the risk he poses before the transfer of his supervision to London",
        ["lawfulBasis"] = "LawEnforcementPurposes",
        ["mode"] = mode,
        ["expiresAt"] = (Now + (lasting ?? TimeSpan.FromDays(30))).ToString("O"),
        ["content"] = content,
        ["documentIds"] = documents is null ? null : new JsonArray([.. documents.Select(d => (JsonNode?)d)]),
    };

    public async Task<JsonObject> SharedAsync(string crn, string mode = "ReadOnly", string[]? named = null, TimeSpan? lasting = null, string[]? documents = null)
    {
        var response = await Holder().PostAsJsonAsync("/api/v1/shares", Share(crn, mode, named: named, lasting: lasting, documents: documents), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"share answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        Assert.True(response.Headers.Contains("Audit-Receipt"));
        return await response.ReadJsonAsync();
    }

    public static JsonObject Request(string crn, string addressee = NpsNorthWest, string dueDate = "2099-01-01", string type = "PoliceIntelligence") => new()
    {
        ["crn"] = crn,
        ["addresseeOrganisation"] = addressee,
        ["type"] = type,
        ["otherType"] = null,
        ["purpose"] = "Domestic abuse call-outs to his new address before a home visit",
        ["lawfulBasis"] = "LawEnforcementPurposes",
        ["urgency"] = "Urgent",
        ["dueDate"] = dueDate,
    };

    /// <summary>CRC-CGM, holding the case, asks NPS North West for a police (BIU) check.</summary>
    public async Task<JsonObject> RequestedAsync(string crn, string? dueDate = null)
    {
        var response = await Holder().PostAsJsonAsync("/api/v1/information-requests", Request(crn, dueDate: dueDate ?? London(Now.AddDays(5))), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"request answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadJsonAsync();
    }

    public static string London(DateTimeOffset at) => Domain.Common.London.DateOf(at).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static string Id(JsonObject resource) => resource["id"]!.GetValue<string>();

    public static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path) => (await client.GetAsync(path, Ct)).StatusCode;

    /// <summary>Whether a search for the CRN finds the case for <paramref name="client"/>.</summary>
    public static async Task<bool> FindsAsync(HttpClient client, string crn)
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/v1/cases?q={crn}", Ct);
        return page!["items"]!.AsArray().Any(i => i!["crn"]!.GetValue<string>() == crn);
    }
}
