using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CaseTransfer.Api.Tests.Escalations.EscalationScenario;
using static CaseTransfer.Api.Tests.Infrastructure.Problems;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Escalations;

/// <summary>
/// Risk escalation over HTTP: the rules say escalation is required, the provider escalates, the NPS region covering
/// the case acknowledges and accepts (the case moves) or declines, the provider may withdraw. Runs once per engine.
/// </summary>
public abstract class EscalationWorkflowTests(CaseTransferApp app)
{
    private readonly EscalationScenario _scenario = new(app, TimeProvider.System);

    private HttpClient Provider() => _scenario.Provider();

    private HttpClient Decider(string userId = "nw-spo-05") => _scenario.Decider(userId);

    private HttpClient OtherProvider() => app.ClientFor(CrcLondon, "crcl-po-02", Roles.CaseManager, Roles.EscalationDecider);

    private HttpClient OtherRegion() => app.ClientFor(NpsLondon, "ldn-spo-01", Roles.EscalationDecider, Roles.CaseManager);

    private Task<List<string>> EventsAsync(string crn) => _scenario.EventsAsync(crn);

    private Task<AuditEntry> EntryAsync(string crn, string action) => app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
        .Where(e => e.Crn == (Crn?)Domain.Identifiers.Crn.Parse(crn) && e.Action == action)
        .OrderByDescending(e => e.Sequence)
        .FirstAsync(Ct));

    [Fact]
    public async Task A_high_risk_recorded_on_a_provider_case_says_escalation_is_required_with_the_rules_that_fired()
    {
        var crn = await _scenario.ProviderHeldCaseAsync();

        var recorded = await _scenario.RecordHighRiskAsync(crn);

        Assert.True(recorded["escalationRequired"]!.GetValue<bool>());
        var escalation = recorded["escalation"]!;
        Assert.Equal(CrcGreaterManchester, escalation["provider"]!.GetValue<string>());
        Assert.Equal(NpsNorthWest, escalation["npsRegion"]!.GetValue<string>());
        Assert.Equal(Id(recorded), escalation["riskAssessmentId"]!.GetValue<string>());
        var fired = Assert.Single(escalation["firedRules"]!.AsArray())!;
        Assert.Equal("rosh-high-or-very-high", fired["ruleId"]!.GetValue<string>());
        Assert.Equal("High", fired["facts"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("2026.1", escalation["rulesetVersion"]!.GetValue<string>());
        Assert.Null(escalation["openEscalationId"]);

        var message = await app.InDatabaseAsync(db => db.OutboxMessages.AsNoTracking()
            .SingleAsync(o => o.Crn == crn && o.EventType == "case-transfer.case.escalation-required", Ct));
        var payload = JsonNode.Parse(message.Payload)!;
        Assert.Equal($"/api/v1/cases/{crn}", payload["detailUrl"]!.GetValue<string>());
        var information = payload["additionalInformation"]!;
        Assert.Equal(CrcGreaterManchester, information["provider"]!.GetValue<string>());
        Assert.Equal(NpsNorthWest, information["npsRegion"]!.GetValue<string>());
        Assert.Equal(["rosh-high-or-very-high"], information["firedRules"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.NotNull(payload["occurredAt"]);
        Assert.Contains("escalation required: rosh-high-or-very-high", (await EntryAsync(crn, "RecordRiskAssessment")).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_risk_the_rules_leave_with_the_provider_and_a_high_risk_on_a_case_the_NPS_holds_require_no_escalation()
    {
        var providerCase = await _scenario.ProviderHeldCaseAsync();
        var npsCase = await CreateCaseAsync(_scenario.NpsAllocator());

        var medium = await (await Provider().PostAsJsonAsync($"/api/v1/cases/{providerCase}/risk-assessments", Assessment("Medium"), Ct)).ReadJsonAsync();
        var high = await (await _scenario.NpsAllocator().PostAsJsonAsync($"/api/v1/cases/{npsCase}/risk-assessments", Assessment("High"), Ct)).ReadJsonAsync();

        Assert.False(medium["escalationRequired"]!.GetValue<bool>());
        Assert.Null(medium["escalation"]);
        Assert.False(high["escalationRequired"]!.GetValue<bool>());
        Assert.DoesNotContain("case-transfer.case.escalation-required", await EventsAsync(providerCase));
        Assert.DoesNotContain("case-transfer.case.escalation-required", await EventsAsync(npsCase));
    }

    [Fact]
    public async Task Accepting_an_escalation_moves_the_case_to_the_NPS_region_and_leaves_the_provider_read_only_sight_of_it()
    {
        var crn = await _scenario.ProviderHeldCaseAsync();
        var assessment = await _scenario.RecordHighRiskAsync(crn);

        var requested = await _scenario.RequestAsync(crn, Id(assessment));

        Assert.Equal(HttpStatusCode.Created, requested.StatusCode);
        Assert.Equal("\"1\"", requested.Headers.ETag?.Tag);
        Assert.True(requested.Headers.Contains("Audit-Receipt"));
        var escalation = await requested.ReadJsonAsync();
        Assert.Equal($"/api/v1/escalations/{Id(escalation)}", requested.Headers.Location?.OriginalString);
        Assert.Equal("Requested", State(escalation));
        Assert.Equal((CrcGreaterManchester, NpsNorthWest), (escalation["provider"]!.GetValue<string>(), escalation["npsRegion"]!.GetValue<string>()));
        Assert.Equal(Id(assessment), escalation["riskAssessment"]!["id"]!.GetValue<string>());
        Assert.Equal("High", escalation["riskAssessment"]!["riskOfSeriousHarm"]!.GetValue<string>());
        Assert.Equal(["oasys:2027-000123", "police:GMP-27-03-1182"], escalation["documentReferences"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.NotNull(escalation["decideBy"]);
        Assert.Null(escalation["acknowledgeBy"]);
        var disclosure = await EntryAsync(crn, "RequestEscalation");
        Assert.Equal(AuditOperation.Disclosure, disclosure.Operation);
        Assert.Equal(NpsNorthWest, disclosure.Recipients);
        Assert.Equal("escalation", disclosure.ResourceType);

        // The region reads what it needs to decide on a case it does not hold; the case itself stays hidden from it.
        var decider = Decider();
        var seen = await (await decider.GetAsync($"/api/v1/escalations/{Id(escalation)}", Ct)).ReadJsonAsync();
        Assert.Equal("Smith", seen["case"]!["name"]!["lastName"]!.GetValue<string>());
        Assert.Equal("High", seen["case"]!["riskOfSeriousHarm"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await decider.GetAsync($"/api/v1/cases/{crn}", Ct)).StatusCode);
        var pending = (await (await Provider().GetAsync($"/api/v1/cases/{crn}", Ct)).ReadJsonAsync())["pending"]!;
        var item = Assert.Single(pending["items"]!.AsArray())!;
        Assert.Equal(("escalation", $"/api/v1/escalations/{Id(escalation)}"), (item["kind"]!.GetValue<string>(), item["href"]!.GetValue<string>()));

        var acknowledged = await DoneAsync(await decider.SendAsync(Post(Act(escalation, "acknowledge"), null, "\"1\""), Ct));
        Assert.Equal("Acknowledged", State(acknowledged));
        Assert.Equal("nw-spo-05", acknowledged["acknowledgedBy"]!.GetValue<string>());

        var accepted = await decider.SendAsync(Post(Act(escalation, "accept"), Acceptance(), "\"2\""), Ct);

        var body = await DoneAsync(accepted);
        Assert.Equal("\"3\"", accepted.Headers.ETag?.Tag);
        Assert.Equal("Accepted", State(body));
        Assert.Equal("RiskOfSeriousHarm", body["acceptanceReason"]!.GetValue<string>());
        Assert.Equal(RegionOfficer.ToString(), body["responsibleOfficerId"]!.GetValue<string>());
        var handoverUntil = body["handoverUntil"]!.GetValue<DateTimeOffset>();
        Assert.Equal(body["decidedAt"]!.GetValue<DateTimeOffset>().AddDays(14), handoverUntil);

        var nps = _scenario.NpsAllocator();
        var summary = await (await nps.GetAsync($"/api/v1/cases/{crn}", Ct)).ReadJsonAsync();
        Assert.Equal(NpsNorthWest, summary["holder"]!["code"]!.GetValue<string>());
        Assert.Equal("Gareth Evans", summary["responsibleOfficer"]!["name"]!.GetValue<string>());
        Assert.Null(summary["readOnlyUntil"]);
        Assert.Equal(0, summary["pending"]!["total"]!.GetValue<int>());

        // One holder at every instant: the provider's holding ends exactly where the region's begins.
        var holders = await nps.GetFromJsonAsync<JsonArray>($"/api/v1/cases/{crn}/holders", Ct);
        var (provider, region) = (holders![^2]!, holders[^1]!);
        Assert.Equal((CrcGreaterManchester, NpsNorthWest), (provider["organisation"]!["code"]!.GetValue<string>(), region["organisation"]!["code"]!.GetValue<string>()));
        Assert.Equal(provider["to"]!.GetValue<DateTimeOffset>(), region["from"]!.GetValue<DateTimeOffset>());
        Assert.Null(region["to"]);

        // The provider still reads the summary and history, read-only, each read a consultation in the ledger.
        var read = await (await Provider().GetAsync($"/api/v1/cases/{crn}", Ct)).ReadJsonAsync();
        Assert.InRange(read["readOnlyUntil"]!.GetValue<DateTimeOffset>() - handoverUntil, TimeSpan.FromMilliseconds(-1), TimeSpan.Zero); // PostgreSQL keeps microseconds
        Assert.Equal(HttpStatusCode.OK, (await Provider().GetAsync($"/api/v1/cases/{crn}/holders", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Provider().GetAsync($"/api/v1/cases/{crn}/risk-assessments", Ct)).StatusCode);
        var consulted = await EntryAsync(crn, "GetCaseSummary");
        Assert.Equal((AuditOperation.Consultation, CrcGreaterManchester), (consulted.Operation, consulted.ActorOrganisation));
        Assert.Equal("case summary, through a read-only access grant", consulted.Summary);
        Assert.Equal(CrcGreaterManchester, (await EntryAsync(crn, "GetCaseHolders")).ActorOrganisation);
        await AssertProblemAsync(
            await Provider().PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("VeryHigh"), Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(
            await Provider().PostAsJsonAsync($"/api/v1/cases/{crn}/responsible-officer", new { practitionerId = TomRileyCrcCgm }, Ct), HttpStatusCode.NotFound);
        Assert.Empty((await Provider().GetFromJsonAsync<JsonObject>($"/api/v1/cases?q={crn}", Ct))!["items"]!.AsArray());

        var events = await EventsAsync(crn);
        Assert.Equal(
            ["case-transfer.escalation.requested", "case-transfer.escalation.acknowledged", "case-transfer.escalation.accepted"],
            events.Where(e => e.StartsWith("case-transfer.escalation.", StringComparison.Ordinal)));
        Assert.Contains("case-transfer.case.holder-changed", events);
        Assert.Contains("case-transfer.case.responsible-officer-assigned", events);
    }

    [Fact]
    public async Task An_escalation_may_record_the_risk_assessment_it_rests_on_through_the_same_path_as_any_assessment()
    {
        var crn = await _scenario.ProviderHeldCaseAsync();
        var request = Request(crn, null);
        request["riskAssessment"] = Assessment("VeryHigh");

        var response = await Provider().PostAsJsonAsync("/api/v1/escalations", request, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var escalation = await response.ReadJsonAsync();
        Assert.Equal("VeryHigh", escalation["riskAssessment"]!["riskOfSeriousHarm"]!.GetValue<string>());
        Assert.Equal("VeryHigh", escalation["case"]!["riskOfSeriousHarm"]!.GetValue<string>());
        var history = await Provider().GetFromJsonAsync<JsonArray>($"/api/v1/cases/{crn}/risk-assessments", Ct);
        Assert.Equal(escalation["riskAssessment"]!["id"]!.GetValue<string>(), history![0]!["id"]!.GetValue<string>());
        Assert.Equal(2, await app.InDatabaseAsync(db => db.CaseTiers.CountAsync(t => db.Cases.Any(c => c.Id == t.CaseId && c.Crn == Domain.Identifiers.Crn.Parse(crn)), Ct)));
        var events = await EventsAsync(crn);
        Assert.Contains("case-transfer.risk-assessment.recorded", events);
        var required = await app.InDatabaseAsync(db => db.OutboxMessages.AsNoTracking()
            .SingleAsync(o => o.Crn == crn && o.EventType == "case-transfer.case.escalation-required", Ct));
        Assert.Equal(Id(escalation), JsonNode.Parse(required.Payload)!["additionalInformation"]!["openEscalationId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Declining_leaves_the_case_with_the_provider_and_frees_it_for_another_escalation()
    {
        var escalation = await _scenario.AcknowledgedAsync();
        var crn = EscalationScenario.Crn(escalation);

        var declined = await DoneAsync(await Decider().SendAsync(
            Post(Act(escalation, "decline"), new { reason = "ManageableByProvider", text = "Weekly reporting and an approved address" }), Ct));

        Assert.Equal("Declined", State(declined));
        Assert.Equal("ManageableByProvider", declined["declineReason"]!.GetValue<string>());
        Assert.Equal("Weekly reporting and an approved address", declined["decisionText"]!.GetValue<string>());
        Assert.Equal(CrcGreaterManchester, (await Provider().GetFromJsonAsync<JsonObject>($"/api/v1/cases/{crn}", Ct))!["holder"]!["code"]!.GetValue<string>());
        Assert.Contains("case-transfer.escalation.declined", await EventsAsync(crn));
        Assert.Contains("declineReason: ManageableByProvider", (await EntryAsync(crn, "DeclineEscalation")).Summary, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await _scenario.RequestAsync(crn, escalation["riskAssessment"]!["id"]!.GetValue<string>())).StatusCode);
    }

    [Fact]
    public async Task The_provider_may_withdraw_before_a_decision_and_the_region_can_then_no_longer_accept()
    {
        var unacknowledged = await _scenario.RequestedAsync();
        Assert.Equal("Withdrawn", State(await DoneAsync(await Provider().SendAsync(Post(Act(unacknowledged, "withdraw"), null, "\"1\""), Ct))));
        Assert.Contains("case-transfer.escalation.withdrawn", await EventsAsync(EscalationScenario.Crn(unacknowledged)));

        var escalation = await _scenario.AcknowledgedAsync();

        await AssertProblemAsync(await Decider().SendAsync(Post(Act(escalation, "withdraw"), new { }), Ct), HttpStatusCode.Forbidden);
        var withdrawn = await DoneAsync(await Provider().SendAsync(Post(Act(escalation, "withdraw"), new { text = "Remanded in custody" }, "\"2\""), Ct));

        Assert.Equal("Withdrawn", State(withdrawn));
        Assert.Equal("Remanded in custody", withdrawn["decisionText"]!.GetValue<string>());
        await AssertProblemAsync(
            await Decider().SendAsync(Post(Act(escalation, "accept"), Acceptance()), Ct), HttpStatusCode.Conflict, "/rules/escalation-withdrawn");
        Assert.Equal(CrcGreaterManchester, (await Provider().GetFromJsonAsync<JsonObject>($"/api/v1/cases/{EscalationScenario.Crn(escalation)}", Ct))!["holder"]!["code"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> IllegalTransitions => new()
    {
        { "Requested", "accept", "escalation-not-acknowledged" },
        { "Requested", "decline", "escalation-not-acknowledged" },
        { "Acknowledged", "acknowledge", "escalation-already-acknowledged" },
        { "Accepted", "decline", "escalation-accepted" },
        { "Accepted", "withdraw", "escalation-accepted" },
        { "Declined", "accept", "escalation-declined" },
        { "Declined", "withdraw", "escalation-declined" },
        { "Withdrawn", "acknowledge", "escalation-withdrawn" },
        { "Withdrawn", "withdraw", "escalation-withdrawn" },
    };

    [Theory]
    [MemberData(nameof(IllegalTransitions))]
    public async Task An_illegal_transition_is_a_409_naming_the_rule_and_changes_nothing(string state, string action, string rule)
    {
        var escalation = await InStateAsync(state);
        var version = escalation["version"]!.GetValue<int>();
        var client = action == "withdraw" ? Provider() : Decider();
        var body = action switch
        {
            "accept" => Acceptance(),
            "decline" => new { reason = "ThresholdNotMet" },
            _ => (object?)null,
        };

        await AssertProblemAsync(await client.SendAsync(Post(Act(escalation, action), body), Ct), HttpStatusCode.Conflict, $"/rules/{rule}");

        var read = await Decider().GetAsync($"/api/v1/escalations/{Id(escalation)}", Ct);
        Assert.Equal($"\"{version}\"", read.Headers.ETag?.Tag);
        Assert.Equal(state, State(await read.ReadJsonAsync()));
    }

    private async Task<JsonObject> InStateAsync(string state)
    {
        var escalation = state == "Requested" ? await _scenario.RequestedAsync() : await _scenario.AcknowledgedAsync();
        return state switch
        {
            "Accepted" => await DoneAsync(await Decider().SendAsync(Post(Act(escalation, "accept"), Acceptance(PriyaPatelNpsNw)), Ct)),
            "Declined" => await DoneAsync(await Decider().SendAsync(Post(Act(escalation, "decline"), new { reason = "InsufficientEvidence" }), Ct)),
            "Withdrawn" => await DoneAsync(await Provider().SendAsync(Post(Act(escalation, "withdraw"), null), Ct)),
            _ => escalation,
        };
    }

    [Fact]
    public async Task A_second_open_escalation_for_a_case_is_a_409()
    {
        var escalation = await _scenario.RequestedAsync();

        await AssertProblemAsync(
            await _scenario.RequestAsync(EscalationScenario.Crn(escalation), escalation["riskAssessment"]!["id"]!.GetValue<string>()),
            HttpStatusCode.Conflict,
            "/rules/escalation-already-open");
    }

    [Fact]
    public async Task Two_requests_racing_for_one_case_open_one_escalation()
    {
        for (var round = 0; round < 3; round++)
        {
            var crn = await _scenario.ProviderHeldCaseAsync();
            var assessment = Id(await _scenario.RecordHighRiskAsync(crn));

            var answers = await Task.WhenAll(_scenario.RequestAsync(crn, assessment), _scenario.RequestAsync(crn, assessment));

            await AssertOneWinsAsync(answers, HttpStatusCode.Created, $"{round}");
            Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.Conflict);
            Assert.Equal(1, await app.InDatabaseAsync(db => db.Escalations.CountAsync(e => e.Crn == Domain.Identifiers.Crn.Parse(crn), Ct)));
        }
    }

    [Fact]
    public async Task Two_deciders_at_once_exactly_one_wins()
    {
        var first = Decider("nw-spo-05");
        var second = Decider("nw-po-02");
        for (var round = 0; round < 3; round++)
        {
            var escalation = await _scenario.AcknowledgedAsync();
            var crn = EscalationScenario.Crn(escalation);

            var answers = await Task.WhenAll(
                first.SendAsync(Post(Act(escalation, "accept"), Acceptance()), Ct),
                round % 2 == 0
                    ? second.SendAsync(Post(Act(escalation, "accept"), Acceptance(PriyaPatelNpsNw)), Ct)
                    : second.SendAsync(Post(Act(escalation, "decline"), new { reason = "ThresholdNotMet" }), Ct));

            var winner = await (await AssertOneWinsAsync(answers, HttpStatusCode.OK, $"{round}")).ReadJsonAsync();
            var (holdings, decisions, grants) = await app.InDatabaseAsync(async db => (
                await db.CaseHoldings.CountAsync(h => db.Cases.Any(c => c.Id == h.CaseId && c.Crn == Domain.Identifiers.Crn.Parse(crn)), Ct),
                await db.AuditEntries.CountAsync(e => e.Crn == (Crn?)Domain.Identifiers.Crn.Parse(crn) && (e.Action == "AcceptEscalation" || e.Action == "DeclineEscalation"), Ct),
                await db.CaseAccessGrants.CountAsync(g => db.Cases.Any(c => c.Id == g.CaseId && c.Crn == Domain.Identifiers.Crn.Parse(crn)), Ct)));
            Assert.Equal(1, decisions);
            var accepted = State(winner) == "Accepted";
            Assert.Equal(accepted ? 3 : 2, holdings);
            Assert.Equal(accepted ? 1 : 0, grants);
        }
    }

    [Fact]
    public async Task A_decision_against_a_stale_ETag_is_a_412_and_changes_nothing()
    {
        var escalation = await _scenario.AcknowledgedAsync();
        var before = await app.CountRowsAsync();

        await AssertProblemAsync(
            await Decider().SendAsync(Post(Act(escalation, "accept"), Acceptance(), "\"1\""), Ct), HttpStatusCode.PreconditionFailed, "/precondition-failed");

        Assert.Equal(before, await app.CountRowsAsync());
        Assert.Equal("Acknowledged", State((await Decider().GetFromJsonAsync<JsonObject>($"/api/v1/escalations/{Id(escalation)}", Ct))!));
    }

    [Fact]
    public async Task Retrying_a_request_with_the_same_Idempotency_Key_replays_it()
    {
        var crn = await _scenario.ProviderHeldCaseAsync();
        var assessment = Id(await _scenario.RecordHighRiskAsync(crn));
        await AssertRetryReplaysAsync(
            Provider(), () => Post("/api/v1/escalations", EscalationScenario.Request(crn, assessment, "Emergency")), $"escalate-{crn}", HttpStatusCode.Created);

        Assert.Equal(1, await app.InDatabaseAsync(db => db.Escalations.CountAsync(e => e.Crn == Domain.Identifiers.Crn.Parse(crn), Ct)));
    }

    [Fact]
    public async Task Only_the_requesting_provider_and_the_deciding_region_see_an_escalation_and_each_side_acts_only_on_its_own()
    {
        var escalation = await _scenario.RequestedAsync();
        var crn = EscalationScenario.Crn(escalation);
        var path = $"/api/v1/escalations/{Id(escalation)}";

        await AssertProblemAsync(await OtherProvider().GetAsync(path, Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await OtherRegion().GetAsync(path, Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await OtherRegion().SendAsync(Post(Act(escalation, "acknowledge"), null), Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await OtherProvider().SendAsync(Post(Act(escalation, "withdraw"), null), Ct), HttpStatusCode.NotFound);
        Assert.Empty((await OtherProvider().GetFromJsonAsync<JsonObject>($"/api/v1/escalations?crn={crn}", Ct))!["items"]!.AsArray());
        Assert.Empty((await OtherRegion().GetFromJsonAsync<JsonObject>($"/api/v1/escalations?crn={crn}", Ct))!["items"]!.AsArray());

        // Each side's actions are its own; the NPS cannot escalate, and a provider cannot escalate a case it does not hold.
        var providerDecider = app.ClientFor(CrcGreaterManchester, "cgm-spo-01", Roles.EscalationDecider);
        await AssertProblemAsync(await providerDecider.SendAsync(Post(Act(escalation, "acknowledge"), null), Ct), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.CaseManager).SendAsync(Post(Act(escalation, "withdraw"), null), Ct), HttpStatusCode.Forbidden);
        await AssertProblemAsync(
            await _scenario.RequestAsync(crn, escalation["riskAssessment"]!["id"]!.GetValue<string>(), client: app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.CaseManager)),
            HttpStatusCode.Forbidden);
        await AssertProblemAsync(await _scenario.RequestAsync(crn, Guid.NewGuid().ToString(), client: app.ClientFor(CrcLondon, "crcl-po-02", Roles.CaseManager)), HttpStatusCode.NotFound);
        await AssertProblemAsync(await Provider().SendAsync(Post(Act(escalation, "acknowledge"), null), Ct), HttpStatusCode.Forbidden);

        // The NPS above the region sees the region's escalations and may decide them.
        var national = app.ClientFor(Nps, "nps-esc-01", Roles.EscalationDecider);
        Assert.Equal(HttpStatusCode.OK, (await national.GetAsync(path, Ct)).StatusCode);
        await DoneAsync(await national.SendAsync(Post(Act(escalation, "acknowledge"), null), Ct));
    }

    [Theory]
    [InlineData("""{"crn":"X12","reason":"RoshIncrease","urgency":"Standard","riskAssessmentId":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","triggeringEvents":"x"}""", "crn")]
    [InlineData("""{"crn":"X123456","urgency":"Standard","riskAssessmentId":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","triggeringEvents":"x"}""", "reason")]
    [InlineData("""{"crn":"X123456","reason":"Bored","urgency":"Standard","riskAssessmentId":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","triggeringEvents":"x"}""", "reason")]
    [InlineData("""{"crn":"X123456","reason":"Other","urgency":"Standard","riskAssessmentId":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","triggeringEvents":"x"}""", "reasonText")]
    [InlineData("""{"crn":"X123456","reason":"Absconded","riskAssessmentId":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","triggeringEvents":"x"}""", "urgency")]
    [InlineData("""{"crn":"X123456","reason":"Absconded","urgency":"Whenever","riskAssessmentId":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","triggeringEvents":"x"}""", "urgency")]
    [InlineData("""{"crn":"X123456","reason":"Absconded","urgency":"Emergency","triggeringEvents":"x"}""", "riskAssessmentId")]
    [InlineData("""{"crn":"X123456","reason":"Absconded","urgency":"Emergency","riskAssessmentId":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","riskAssessment":{"assessedOn":"2026-01-01","riskOfSeriousHarm":"High"},"triggeringEvents":"x"}""", "riskAssessmentId")]
    [InlineData("""{"crn":"X123456","reason":"Absconded","urgency":"Emergency","riskAssessment":{"assessedOn":"2026-01-01"},"triggeringEvents":"x"}""", "riskAssessment.riskOfSeriousHarm")]
    [InlineData("""{"crn":"X123456","reason":"Absconded","urgency":"Emergency","riskAssessmentId":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab"}""", "triggeringEvents")]
    [InlineData("""{"crn":"X123456","reason":"Absconded","urgency":"Emergency","riskAssessmentId":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","triggeringEvents":"x","documentReferences":["oasys:1","has space"]}""", "documentReferences[1]")]
    [InlineData("""{"crn":"X123456","reason":"Absconded","urgency":"Emergency","riskAssessmentId":"0193c1d2-7a8b-7c3d-9e4f-0123456789ab","triggeringEvents":"x","documentReferences":["oasys:1","oasys:1"]}""", "documentReferences")]
    public async Task A_bad_request_is_a_400_naming_the_field(string body, string field)
    {
        var response = await Provider().PostAsync("/api/v1/escalations", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        AssertNamesField(await AssertProblemAsync(response, HttpStatusCode.BadRequest), field);
    }

    [Fact]
    public async Task A_risk_assessment_of_another_case_is_a_400_and_bad_decisions_name_their_field()
    {
        var other = await _scenario.ProviderHeldCaseAsync();
        var otherAssessment = Id(await _scenario.RecordHighRiskAsync(other));
        var crn = await _scenario.ProviderHeldCaseAsync();
        AssertNamesField(await AssertProblemAsync(await _scenario.RequestAsync(crn, otherAssessment), HttpStatusCode.BadRequest), "riskAssessmentId");

        var escalation = await _scenario.AcknowledgedAsync();
        var decider = Decider();
        AssertNamesField(await AssertProblemAsync(await decider.SendAsync(Post(Act(escalation, "accept"), new { reason = "RulesKeepWithNps" }), Ct), HttpStatusCode.BadRequest), "responsibleOfficerId");
        AssertNamesField(await AssertProblemAsync(await decider.SendAsync(Post(Act(escalation, "accept"), new { reason = "ProfessionalJudgement", responsibleOfficerId = RegionOfficer }), Ct), HttpStatusCode.BadRequest), "text");
        AssertNamesField(await AssertProblemAsync(await decider.SendAsync(Post(Act(escalation, "decline"), new { }), Ct), HttpStatusCode.BadRequest), "reason");
        AssertNamesField(await AssertProblemAsync(await decider.SendAsync(Post(Act(escalation, "decline"), new { reason = "Other" }), Ct), HttpStatusCode.BadRequest), "text");
        AssertNamesField(await AssertProblemAsync(await decider.SendAsync(Post("/api/v1/escalations/not-an-id/acknowledge", null), Ct), HttpStatusCode.BadRequest), "id");
        AssertNamesField(await AssertProblemAsync(await decider.GetAsync("/api/v1/escalations?state=Pending", Ct), HttpStatusCode.BadRequest), "state");

        // An officer of another organisation is refused by the one gate of giving a case to a practitioner.
        await AssertProblemAsync(
            await decider.SendAsync(Post(Act(escalation, "accept"), Acceptance(TomRileyCrcCgm)), Ct), HttpStatusCode.Conflict, "/rules/responsible-officer-outside-holder");
    }

    [Fact]
    public async Task The_list_pages_the_callers_escalations_by_cursor_and_filters_by_state_and_case()
    {
        var crns = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            crns.Add(EscalationScenario.Crn(await _scenario.RequestedAsync()));
        }

        var seen = await AllPagesAsync(Decider(), "/api/v1/escalations?state=Requested", 2, i => i["case"]!["crn"]!.GetValue<string>());

        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Superset(crns.ToHashSet(), seen.ToHashSet());
        var one = await Provider().GetFromJsonAsync<JsonObject>($"/api/v1/escalations?crn={crns[1]}", Ct);
        Assert.Equal(crns[1], Assert.Single(one!["items"]!.AsArray())!["case"]!["crn"]!.GetValue<string>());
        Assert.Empty((await Provider().GetFromJsonAsync<JsonObject>($"/api/v1/escalations?crn={crns[1]}&state=Accepted", Ct))!["items"]!.AsArray());
    }

    [Fact]
    public async Task A_bulk_transfer_skips_a_case_with_an_open_escalation_and_says_why()
    {
        var open = EscalationScenario.Crn(await _scenario.RequestedAsync(area: "CHES"));
        var free = await _scenario.ProviderHeldCaseAsync(area: "CHES");

        var skipped = await BulkTransferSkipsAsync(app, CrcGreaterManchester, NpsNorthWest, "CHES");

        Assert.Equal(Domain.Transfers.TransferSkipReasons.OpenEscalation, skipped[open]);
        Assert.DoesNotContain(free, skipped.Keys);
        Assert.Equal(CrcGreaterManchester, (await Provider().GetFromJsonAsync<JsonObject>($"/api/v1/cases/{open}", Ct))!["holder"]!["code"]!.GetValue<string>());
        Assert.Equal(NpsNorthWest, (await _scenario.NpsAllocator().GetFromJsonAsync<JsonObject>($"/api/v1/cases/{free}", Ct))!["holder"]!["code"]!.GetValue<string>());
    }
}

public sealed class EscalationWorkflowTestsOnSqlite(SqliteApp app) : EscalationWorkflowTests(app), IClassFixture<SqliteApp>;

public sealed class EscalationWorkflowTestsOnPostgres(PostgresApp app) : EscalationWorkflowTests(app), IClassFixture<PostgresApp>;
