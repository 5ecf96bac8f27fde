using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Escalations;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Alerts;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;
using static CaseTransfer.Api.Tests.Sharing.SharingScenario;

namespace CaseTransfer.Api.Tests.Sharing;

/// <summary>
/// Requests for information, both ways: a provider asks the NPS for a police check and is answered (in full, in part,
/// or refused), or withdraws; the answer is a share the requester reads while it is live; overdue requests raise alerts.
/// </summary>
public abstract class InformationRequestTests(EscalationClockApp app)
{
    private readonly SharingScenario _s = new(app, app.Clock);

    private async Task<string> CaseAsync()
    {
        app.Clock.Set(DateTimeOffset.UtcNow);
        return await _s.ProviderHeldCaseAsync();
    }

    private static string Act(JsonObject request, string action) => $"/api/v1/information-requests/{Id(request)}/{action}";

    private object Provision(string mode = "ReadOnly", string? withheld = null, string? withheldReason = null) => new
    {
        recipientUserIds = (string[]?)null,
        mode,
        expiresAt = (_s.Now + TimeSpan.FromDays(30)).ToString("O"),
        content = "Two call-outs to the address in 2026; no arrests.",
        documentIds = (string[]?)null,
        withheld,
        withheldReason,
    };

    [Fact]
    public async Task A_provider_asks_the_NPS_for_a_police_check_and_reads_the_answer_while_it_is_live()
    {
        var crn = await CaseAsync();
        var request = await _s.RequestedAsync(crn);
        Assert.Equal("Requested", request["state"]!.GetValue<string>());
        Assert.Null(request["links"]!["provide"]);
        Assert.NotNull(request["links"]!["withdraw"]);

        // The NPS sees what it was asked; the provider cannot answer its own request.
        var nps = _s.Nps();
        var received = (await nps.GetFromJsonAsync<JsonObject>($"/api/v1/information-requests?crn={crn}", Ct))!;
        Assert.Equal(Id(request), Id(Assert.Single(received["items"]!.AsArray())!.AsObject()));
        Assert.Equal(HttpStatusCode.Forbidden, (await _s.Holder().PostAsJsonAsync(Act(request, "provide"), Provision(), Ct)).StatusCode);

        var answered = await EscalationScenario.DoneAsync(await nps.PostAsJsonAsync(Act(request, "provide"), Provision(), Ct));
        Assert.Equal("Provided", answered["state"]!.GetValue<string>());
        var shareId = answered["shareId"]!.GetValue<string>();

        var share = (await _s.Holder().GetFromJsonAsync<JsonObject>($"/api/v1/shares/{shareId}", Ct))!;
        Assert.Equal(NpsNorthWest, share["sharerOrganisation"]!.GetValue<string>());
        Assert.Equal(CrcGreaterManchester, share["recipientOrganisation"]!.GetValue<string>());
        Assert.Equal(Id(request), share["requestId"]!.GetValue<string>());
        Assert.Equal("PoliceIntelligence", share["type"]!.GetValue<string>());
        Assert.Equal("LawEnforcementPurposes", share["lawfulBasis"]!.GetValue<string>());

        // Answered once: a second answer, a refusal or a withdrawal is refused by name.
        foreach (var (client, action, body) in new (HttpClient, string, object?)[]
        {
            (nps, "provide", Provision()), (nps, "refuse", new { reason = "NotHeld", text = (string?)null }), (_s.Holder(), "withdraw", null),
        })
        {
            var again = await client.PostAsJsonAsync(Act(request, action), body, Ct);
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.EndsWith("/rules/information-request-closed", (await again.ReadJsonAsync())["type"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // The provision is a disclosure on the case's record, to the requester, with the request's purpose and basis.
        var log = (await _s.Holder().GetFromJsonAsync<JsonArray>($"/api/v1/cases/{crn}/disclosure-log", Ct))!.Select(e => e!.AsObject()).ToList();
        var provision = log.Single(e => e["action"]!.GetValue<string>() == "ProvideInformation");
        Assert.Equal("Disclosure", provision["operation"]!.GetValue<string>());
        Assert.Equal(NpsNorthWest, provision["actorOrganisation"]!.GetValue<string>());
        Assert.Equal(CrcGreaterManchester, provision["recipients"]!.GetValue<string>());
        Assert.Contains("Domestic abuse call-outs", provision["justification"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partial_answer_says_what_is_withheld_and_why_and_a_refusal_gives_a_coded_reason()
    {
        var crn = await CaseAsync();
        var nps = _s.Nps();

        var first = await _s.RequestedAsync(crn);
        var unsaid = await nps.PostAsJsonAsync(Act(first, "provide"), Provision(withheldReason: "ThirdPartyInformation"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unsaid.StatusCode);
        Assert.True((await unsaid.ReadJsonAsync())["errors"]!.AsObject().ContainsKey("withheld"));

        var partly = await EscalationScenario.DoneAsync(await nps.PostAsJsonAsync(
            Act(first, "provide"), Provision(withheld: "The caller's name on the second call-out", withheldReason: "ThirdPartyInformation"), Ct));
        Assert.Equal("PartlyProvided", partly["state"]!.GetValue<string>());
        var share = (await _s.Holder().GetFromJsonAsync<JsonObject>($"/api/v1/shares/{partly["shareId"]!.GetValue<string>()}", Ct))!;
        Assert.Equal("ThirdPartyInformation", share["withheldReason"]!.GetValue<string>());

        var second = await _s.RequestedAsync(crn);
        var bare = await nps.PostAsJsonAsync(Act(second, "refuse"), new { reason = "Other", text = (string?)null }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, bare.StatusCode);
        var refused = await EscalationScenario.DoneAsync(await nps.PostAsJsonAsync(Act(second, "refuse"), new { reason = "HeldByAnotherBody", text = "Ask GMP's BIU" }, Ct));
        Assert.Equal("Refused", refused["state"]!.GetValue<string>());
        Assert.Equal("HeldByAnotherBody", refused["refusalReason"]!.GetValue<string>());
        Assert.Null(refused["shareId"]);

        var third = await _s.RequestedAsync(crn);
        Assert.Equal(HttpStatusCode.Forbidden, (await nps.PostAsync(Act(third, "withdraw"), null, Ct)).StatusCode);
        var withdrawn = await EscalationScenario.DoneAsync(await _s.Holder().PostAsync(Act(third, "withdraw"), null, Ct));
        Assert.Equal("Withdrawn", withdrawn["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_an_organisation_that_holds_the_case_or_is_asked_to_take_it_may_ask_about_it()
    {
        var crn = await CaseAsync();

        // CRC London neither holds the case nor is asked to take it: 404, as for a case it cannot see.
        var stranger = await _s.NamedRecipient().PostAsJsonAsync("/api/v1/information-requests", Request(crn, addressee: NpsNorthWest), Ct);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);

        // A request states its purpose and basis, to another organisation, due no earlier than today.
        var bare = Request(crn);
        bare["purpose"] = "";
        bare["lawfulBasis"] = null;
        var invalid = await _s.Holder().PostAsJsonAsync("/api/v1/information-requests", bare, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.ReadJsonAsync())["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("purpose") && errors.ContainsKey("lawfulBasis"), errors.ToJsonString());
        var self = await _s.Holder().PostAsJsonAsync("/api/v1/information-requests", Request(crn, addressee: CrcGreaterManchester), Ct);
        Assert.EndsWith("/rules/request-to-own-organisation", (await self.ReadJsonAsync())["type"]!.GetValue<string>(), StringComparison.Ordinal);
        var past = await _s.Holder().PostAsJsonAsync("/api/v1/information-requests", Request(crn, dueDate: "2020-01-01"), Ct);
        Assert.EndsWith("/rules/request-due-date-in-past", (await past.ReadJsonAsync())["type"]!.GetValue<string>(), StringComparison.Ordinal);

        // The NPS region asked to take the case by an open escalation may ask the provider about it.
        var escalation = await new EscalationScenario(app, app.Clock).RequestedAsync();
        var escalated = EscalationScenario.Crn(escalation);
        var region = app.ClientFor(NpsNorthWest, "nw-spo-05", Roles.CaseManager);
        var asked = await region.PostAsJsonAsync("/api/v1/information-requests", Request(escalated, addressee: CrcGreaterManchester, type: "RiskAssessment"), Ct);
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);

        // A third organisation sees no request it is not party to.
        var request = await _s.RequestedAsync(crn);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(_s.ThirdOrganisation(), $"/api/v1/information-requests/{Id(request)}"));
    }

    [Fact]
    public async Task A_request_unanswered_past_its_due_date_raises_alerts_for_both_sides_until_it_is_answered()
    {
        var crn = await CaseAsync();
        var request = await _s.RequestedAsync(crn, dueDate: London(_s.Now));
        await app.RunAlertPassAsync();
        Assert.Empty(await OverdueAlertsAsync(_s.Nps(), crn));

        app.Clock.Set(DateTimeOffset.UtcNow + TimeSpan.FromDays(2));
        var overdue = (await _s.Nps().GetFromJsonAsync<JsonObject>($"/api/v1/information-requests?overdue=true&crn={crn}", Ct))!;
        Assert.Single(overdue["items"]!.AsArray());
        await app.RunAlertPassAsync();
        Assert.Single(await OverdueAlertsAsync(_s.Nps(), crn));
        Assert.Single(await OverdueAlertsAsync(_s.Holder(), crn));

        await EscalationScenario.DoneAsync(await _s.Nps().PostAsJsonAsync(Act(request, "refuse"), new { reason = "NotHeld", text = (string?)null }, Ct));
        await app.RunAlertPassAsync();
        Assert.Empty(await OverdueAlertsAsync(_s.Nps(), crn));
    }

    private static async Task<List<JsonNode?>> OverdueAlertsAsync(HttpClient client, string crn)
    {
        var page = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/alerts?crn={crn}&kind={AlertKinds.InformationRequestOverdue}&limit=200", Ct))!;
        return [.. page["items"]!.AsArray().Where(a => a!["state"]!.GetValue<string>() != "Resolved")];
    }
}

public sealed class InformationRequestTestsOnSqlite(SqliteEscalationClockApp app) : InformationRequestTests(app), IClassFixture<SqliteEscalationClockApp>;

public sealed class InformationRequestTestsOnPostgres(PostgresEscalationClockApp app) : InformationRequestTests(app), IClassFixture<PostgresEscalationClockApp>;
