using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CaseTransfer.Api.Tests.Disputes.DisputeScenario;
using CaseTransfer.Api.Tests.Escalations;
using static CaseTransfer.Api.Tests.Infrastructure.Problems;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Disputes;

/// <summary>
/// Disputes over HTTP: a party contests an allocation rejection or an escalation decline (the NPS an accepted
/// escalation as unfounded), the team managers and then the heads of service exchange statements, and a resolution
/// may move the case. Runs once per engine.
/// </summary>
public abstract class DisputeWorkflowTests(CaseTransferApp app)
{
    private readonly DisputeScenario _scenario = new(app, TimeProvider.System);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<AuditEntry> EntryAsync(string crn, string action) => app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
        .Where(e => e.Crn == (Crn?)Crn.Parse(crn) && e.Action == action)
        .OrderByDescending(e => e.Sequence)
        .FirstAsync(Ct));

    private static async Task<JsonObject> ChangedAsync(Task<HttpResponseMessage> answer) => await DoneAsync(await answer);

    private static HttpRequestMessage Resolution(JsonObject dispute, object body, string? ifMatch = null) => Post(Act(dispute, "resolve"), body, ifMatch);

    [Fact]
    public async Task A_provider_disputes_a_decline_and_the_heads_of_service_uphold_it_moving_the_case_to_the_region()
    {
        var escalation = await _scenario.DeclinedEscalationAsync();
        var crn = EscalationScenario.Crn(escalation);

        var raised = await RaiseAsync(_scenario.ProviderManager(), "EscalationDecline", escalation);

        Assert.Equal(HttpStatusCode.Created, raised.StatusCode);
        Assert.Equal("\"1\"", raised.Headers.ETag?.Tag);
        Assert.True(raised.Headers.Contains("Audit-Receipt"));
        var dispute = await raised.ReadJsonAsync();
        Assert.Equal($"/api/v1/disputes/{Id(dispute)}", raised.Headers.Location?.OriginalString);
        Assert.Equal(("Local", "Raised", CrcGreaterManchester), (Stage(dispute), dispute["stageReachedBy"]!.GetValue<string>(), dispute["raisedByOrganisation"]!.GetValue<string>()));
        Assert.Equal((NpsNorthWest, CrcGreaterManchester), (dispute["npsOrganisation"]!.GetValue<string>(), dispute["provider"]!.GetValue<string>()));
        Assert.Equal($"/api/v1/escalations/{Id(escalation)}", dispute["subject"]!["href"]!.GetValue<string>());
        Assert.NotNull(dispute["stageDueBy"]);
        Assert.Equal("The decision ignores the latest risk assessment", dispute["statements"]![0]!["text"]!.GetValue<string>());

        // While it is open, the case stays with the provider and its picture lists the dispute.
        var pending = (await (await _scenario.Escalations.Provider().GetAsync($"/api/v1/cases/{crn}", Ct)).ReadJsonAsync())["pending"]!;
        Assert.Contains(pending["items"]!.AsArray(), i => i!["kind"]!.GetValue<string>() == "dispute" && i["href"]!.GetValue<string>() == $"/api/v1/disputes/{Id(dispute)}");

        dispute = await ChangedAsync(_scenario.NpsManager().SendAsync(Post(Act(dispute, "statements"), Statement("The controls named in the decline are in place"), "\"1\""), Ct));
        dispute = await ChangedAsync(_scenario.ProviderManager().SendAsync(Post(Act(dispute, "move-up"), null, "\"2\""), Ct));
        Assert.Equal(("Senior", "Request"), (Stage(dispute), dispute["stageReachedBy"]!.GetValue<string>()));
        Assert.Equal(CrcGreaterManchester, await _scenario.HolderAsync(crn));

        var resolved = await ChangedAsync(_scenario.NpsHead().SendAsync(
            Resolution(dispute, new { outcome = "Upheld", text = "The region takes the case", newHolder = NpsNorthWest, responsibleOfficerId = EscalationScenario.RegionOfficer }, "\"3\""), Ct));

        Assert.Equal(("Resolved", "Upheld", NpsNorthWest), (Stage(resolved), resolved["outcome"]!.GetValue<string>(), resolved["newHolder"]!.GetValue<string>()));
        Assert.Null(resolved["stageDueBy"]);
        Assert.Null(resolved["links"]!["resolve"]);
        Assert.Equal(["Raised", "Request", "Request"], resolved["stageChanges"]!.AsArray().Select(c => c!["cause"]!.GetValue<string>()));
        Assert.Equal(NpsNorthWest, await _scenario.HolderAsync(crn));
        var officer = (await (await _scenario.Escalations.NpsAllocator().GetAsync($"/api/v1/cases/{crn}", Ct)).ReadJsonAsync())["responsibleOfficer"]!;
        Assert.Equal(EscalationScenario.RegionOfficer.ToString(), officer["id"]!.GetValue<string>());
        var events = (await _scenario.EventsAsync(crn)).SkipWhile(e => e != "case-transfer.dispute.raised").ToList();
        Assert.Equal(
            ["case-transfer.dispute.raised", "case-transfer.dispute.statement-added", "case-transfer.dispute.moved-up", "case-transfer.dispute.resolved"],
            events.Where(e => e.StartsWith("case-transfer.dispute.", StringComparison.Ordinal)));
        Assert.Contains("case-transfer.case.holder-changed", events);
        Assert.Contains("case-transfer.case.responsible-officer-assigned", events);
        var entry = await EntryAsync(crn, "ResolveDispute");
        Assert.Equal(("dispute", "nw-hos-01"), (entry.ResourceType, entry.ActorUserId));
        Assert.Contains($"holder: {CrcGreaterManchester} -> {NpsNorthWest}", entry.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(
            (await (await _scenario.Escalations.NpsAllocator().GetAsync($"/api/v1/cases/{crn}", Ct)).ReadJsonAsync())["pending"]!["items"]!.AsArray(),
            i => i!["kind"]!.GetValue<string>() == "dispute");
    }

    [Fact]
    public async Task The_NPS_disputes_a_rejected_allocation_and_the_team_managers_resolve_it_without_moving_the_case()
    {
        var allocation = await _scenario.RejectedAllocationAsync();
        var crn = allocation["case"]!["crn"]!.GetValue<string>();

        var dispute = await RaisedAsync(_scenario.NpsManager(), "AllocationRejection", allocation);
        Assert.Equal(NpsNorthWest, dispute["raisedByOrganisation"]!.GetValue<string>());

        // The provider no longer sees the case, but as a party it sees the dispute and answers it.
        dispute = await ChangedAsync(_scenario.ProviderManager().SendAsync(Post(Act(dispute, "statements"), Statement("Still no pre-sentence report")), Ct));
        var resolved = await ChangedAsync(_scenario.ProviderManager().SendAsync(Resolution(dispute, new { outcome = "Agreed", text = "The NPS sends the report, then proposes again" }), Ct));

        Assert.Equal(("Resolved", "Agreed"), (Stage(resolved), resolved["outcome"]!.GetValue<string>()));
        Assert.Null(resolved["newHolder"]);
        Assert.Equal(NpsNorthWest, await _scenario.HolderAsync(crn));
        Assert.DoesNotContain("case-transfer.case.holder-changed", (await _scenario.EventsAsync(crn)).SkipWhile(e => e != "case-transfer.dispute.raised"));
    }

    [Fact]
    public async Task The_NPS_disputes_an_accepted_escalation_as_unfounded_and_a_resolution_hands_the_case_back()
    {
        var escalation = await _scenario.AcceptedEscalationAsync();
        var crn = EscalationScenario.Crn(escalation);

        await AssertProblemAsync(await RaiseAsync(_scenario.ProviderManager(), "UnfoundedEscalation", escalation), HttpStatusCode.Conflict, "/rules/unfounded-escalation-disputed-by-nps");
        var dispute = await RaisedAsync(_scenario.NpsManager(), "UnfoundedEscalation", escalation);
        var resolved = await ChangedAsync(_scenario.NpsManager().SendAsync(
            Resolution(dispute, new { outcome = "Upheld", newHolder = CrcGreaterManchester, responsibleOfficerId = ProviderOfficer }), Ct));

        Assert.Equal(CrcGreaterManchester, resolved["newHolder"]!.GetValue<string>());
        Assert.Equal(CrcGreaterManchester, await _scenario.HolderAsync(crn));
    }

    [Fact]
    public async Task Every_illegal_transition_is_a_conflict_naming_its_rule()
    {
        var nps = _scenario.NpsManager();
        var provider = _scenario.ProviderManager();

        // Subjects in a state that cannot be disputed.
        var acknowledged = await _scenario.Escalations.AcknowledgedAsync();
        await AssertProblemAsync(await RaiseAsync(provider, "EscalationDecline", acknowledged), HttpStatusCode.Conflict, "/rules/escalation-not-declined");
        await AssertProblemAsync(await RaiseAsync(nps, "UnfoundedEscalation", acknowledged), HttpStatusCode.Conflict, "/rules/escalation-not-accepted");
        var open = await _scenario.Escalations.NpsAllocator().PostAsJsonAsync("/api/v1/allocations", new { crn = await CreateCaseAsync(_scenario.Escalations.NpsAllocator()), toOrganisation = CrcGreaterManchester, reason = "NewSentence", justification = "Test" }, Ct);
        await AssertProblemAsync(await RaiseAsync(nps, "AllocationRejection", await open.ReadJsonAsync()), HttpStatusCode.Conflict, "/rules/allocation-not-rejected");

        // One open dispute per subject.
        var declined = await _scenario.DeclinedEscalationAsync();
        var dispute = await RaisedAsync(provider, "EscalationDecline", declined);
        await AssertProblemAsync(await RaiseAsync(nps, "EscalationDecline", declined), HttpStatusCode.Conflict, "/rules/dispute-already-open");

        // A resolution moves the case only between the parties, and only to the one that does not hold it.
        await AssertProblemAsync(await nps.SendAsync(Resolution(dispute, new { outcome = "Upheld", newHolder = CrcLondon, responsibleOfficerId = ProviderOfficer }), Ct), HttpStatusCode.Conflict, "/rules/new-holder-not-a-party");
        await AssertProblemAsync(await nps.SendAsync(Resolution(dispute, new { outcome = "Upheld", newHolder = CrcGreaterManchester, responsibleOfficerId = ProviderOfficer }), Ct), HttpStatusCode.Conflict, "/rules/already-holder");

        // At Senior: no second move up, and only a head of service resolves.
        dispute = await ChangedAsync(nps.SendAsync(Post(Act(dispute, "move-up"), null), Ct));
        await AssertProblemAsync(await provider.SendAsync(Post(Act(dispute, "move-up"), null), Ct), HttpStatusCode.Conflict, "/rules/dispute-already-senior");
        await AssertProblemAsync(await provider.SendAsync(Resolution(dispute, new { outcome = "NotUpheld" }), Ct), HttpStatusCode.Conflict, "/rules/senior-stage-needs-head-of-service");
        dispute = await ChangedAsync(_scenario.ProviderHead().SendAsync(Resolution(dispute, new { outcome = "NotUpheld" }), Ct));

        // Resolved is final.
        await AssertProblemAsync(await provider.SendAsync(Post(Act(dispute, "statements"), Statement("One more thing")), Ct), HttpStatusCode.Conflict, "/rules/dispute-resolved");
        await AssertProblemAsync(await provider.SendAsync(Post(Act(dispute, "move-up"), null), Ct), HttpStatusCode.Conflict, "/rules/dispute-resolved");
        await AssertProblemAsync(await _scenario.NpsHead().SendAsync(Resolution(dispute, new { outcome = "Upheld" }), Ct), HttpStatusCode.Conflict, "/rules/dispute-resolved");

        // A resolved dispute no longer blocks a new one on the same subject.
        Assert.Equal(HttpStatusCode.Created, (await RaiseAsync(nps, "EscalationDecline", declined)).StatusCode);
    }

    [Fact]
    public async Task Statements_of_both_sides_are_kept_in_order_with_their_authors()
    {
        var dispute = await _scenario.DisputedDeclineAsync();
        var sides = new[] { (_scenario.NpsManager("nw-tm-02"), NpsNorthWest, "nw-tm-02"), (_scenario.ProviderManager("cgm-tm-03"), CrcGreaterManchester, "cgm-tm-03") };

        for (var i = 1; i <= 4; i++)
        {
            var (client, _, _) = sides[i % 2];
            dispute = await ChangedAsync(client.SendAsync(Post(Act(dispute, "statements"), Statement($"statement {i}")), Ct));
        }

        var read = await (await _scenario.ProviderManager().GetAsync($"/api/v1/disputes/{Id(dispute)}", Ct)).ReadJsonAsync();
        var statements = read["statements"]!.AsArray();
        Assert.Equal([1, 2, 3, 4, 5], statements.Select(s => s!["sequence"]!.GetValue<int>()));
        Assert.Equal(["The decision ignores the latest risk assessment", "statement 1", "statement 2", "statement 3", "statement 4"], statements.Select(s => s!["text"]!.GetValue<string>()));
        Assert.Equal(
            ["cgm-tm-01", "cgm-tm-03", "nw-tm-02", "cgm-tm-03", "nw-tm-02"],
            statements.Select(s => s!["authorUserId"]!.GetValue<string>()));
        Assert.Equal(
            [CrcGreaterManchester, CrcGreaterManchester, NpsNorthWest, CrcGreaterManchester, NpsNorthWest],
            statements.Select(s => s!["authorOrganisation"]!.GetValue<string>()));
        Assert.Equal("nw-tm-02", statements[2]!["authorName"]!.GetValue<string>());
        var instants = statements.Select(s => s!["at"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(instants.Order(), instants);
        Assert.Equal(5, read["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Two_resolvers_at_once_exactly_one_wins()
    {
        for (var round = 0; round < 3; round++)
        {
            var dispute = await _scenario.DisputedDeclineAsync();
            var crn = CrnOf(dispute);

            var answers = await Task.WhenAll(
                _scenario.NpsManager().SendAsync(Resolution(dispute, new { outcome = "NotUpheld" }), Ct),
                round % 2 == 0
                    ? _scenario.ProviderManager().SendAsync(Resolution(dispute, new { outcome = "Upheld", newHolder = NpsNorthWest, responsibleOfficerId = EscalationScenario.RegionOfficer }), Ct)
                    : _scenario.ProviderManager().SendAsync(Resolution(dispute, new { outcome = "Agreed", text = "Joint supervision plan" }), Ct));

            var winner = await (await AssertOneWinsAsync(answers, HttpStatusCode.OK, $"{round}")).ReadJsonAsync();
            var (resolutions, holdings) = await app.InDatabaseAsync(async db => (
                await db.AuditEntries.CountAsync(e => e.Crn == (Crn?)Domain.Identifiers.Crn.Parse(crn) && e.Action == "ResolveDispute", Ct),
                await db.CaseHoldings.CountAsync(h => db.Cases.Any(c => c.Id == h.CaseId && c.Crn == Domain.Identifiers.Crn.Parse(crn)), Ct)));
            Assert.Equal(1, resolutions);
            Assert.Equal(winner["newHolder"] is null ? 2 : 3, holdings);
        }
    }

    [Fact]
    public async Task An_action_against_a_stale_ETag_is_a_412_and_changes_nothing()
    {
        var dispute = await _scenario.DisputedDeclineAsync();
        await ChangedAsync(_scenario.NpsManager().SendAsync(Post(Act(dispute, "statements"), Statement("first"), "\"1\""), Ct));
        var before = await app.CountRowsAsync();

        await AssertProblemAsync(await _scenario.ProviderManager().SendAsync(Post(Act(dispute, "move-up"), null, "\"1\""), Ct), HttpStatusCode.PreconditionFailed);
        await AssertProblemAsync(await _scenario.ProviderManager().SendAsync(Resolution(dispute, new { outcome = "NotUpheld" }, "\"1\""), Ct), HttpStatusCode.PreconditionFailed);

        Assert.Equal(before, await app.CountRowsAsync());
        var read = await _scenario.ProviderManager().GetAsync($"/api/v1/disputes/{Id(dispute)}", Ct);
        Assert.Equal("\"2\"", read.Headers.ETag?.Tag);
        Assert.Equal("Local", Stage(await read.ReadJsonAsync()));
    }

    [Fact]
    public async Task Only_the_parties_see_a_dispute_and_every_read_is_a_consultation()
    {
        var declined = await _scenario.DeclinedEscalationAsync();
        var outsider = _scenario.Outsider();
        await AssertProblemAsync(await RaiseAsync(outsider, "EscalationDecline", declined), HttpStatusCode.NotFound);
        await AssertProblemAsync(await RaiseAsync(_scenario.Escalations.Provider(), "EscalationDecline", declined), HttpStatusCode.Forbidden);
        var dispute = await RaisedAsync(_scenario.ProviderManager(), "EscalationDecline", declined);
        var path = $"/api/v1/disputes/{Id(dispute)}";

        await AssertProblemAsync(await outsider.GetAsync(path, Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await outsider.SendAsync(Post($"{path}/statements", Statement("Hello")), Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await outsider.SendAsync(Resolution(dispute, new { outcome = "NotUpheld" }), Ct), HttpStatusCode.NotFound);
        var outsiders = await outsider.GetFromJsonAsync<JsonObject>("/api/v1/disputes?limit=200", Ct);
        Assert.DoesNotContain(outsiders!["items"]!.AsArray(), i => i!["id"]!.GetValue<string>() == Id(dispute));

        foreach (var party in new[] { _scenario.NpsManager(), _scenario.ProviderHead(), _scenario.Escalations.Decider() })
        {
            Assert.Equal(HttpStatusCode.OK, (await party.GetAsync(path, Ct)).StatusCode);
        }

        var listed = await _scenario.NpsManager().GetFromJsonAsync<JsonObject>($"/api/v1/disputes?crn={CrnOf(dispute)}&stage=Local", Ct);
        Assert.Equal(Id(dispute), Assert.Single(listed!["items"]!.AsArray())!["id"]!.GetValue<string>());
        var consultations = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Crn == (Crn?)Crn.Parse(CrnOf(dispute)) && e.Operation == AuditOperation.Consultation && (e.Action == "GetDispute" || e.Action == "ListDisputes"))
            .Select(e => e.Action).ToListAsync(Ct));
        Assert.Equal(3, consultations.Count(a => a == "GetDispute"));
        Assert.Equal(1, consultations.Count(a => a == "ListDisputes"));
    }

    [Fact]
    public async Task A_bulk_transfer_skips_a_case_with_an_open_dispute_and_says_why()
    {
        var dispute = await _scenario.DisputedDeclineAsync(area: "CHES");

        var skipped = await BulkTransferSkipsAsync(app, CrcGreaterManchester, NpsNorthWest, "CHES");

        Assert.Equal(Domain.Transfers.TransferSkipReasons.OpenDispute, skipped[CrnOf(dispute)]);
        Assert.Equal(CrcGreaterManchester, await _scenario.HolderAsync(CrnOf(dispute)));
    }

    [Fact]
    public async Task A_malformed_action_names_the_field()
    {
        var dispute = await _scenario.DisputedDeclineAsync();
        var nps = _scenario.NpsManager();

        AssertNamesField(await AssertProblemAsync(await nps.PostAsJsonAsync("/api/v1/disputes", new { subjectKind = "Whim", subjectId = Guid.NewGuid(), grounds = "x" }, Ct), HttpStatusCode.BadRequest), "subjectKind");
        AssertNamesField(await AssertProblemAsync(await nps.PostAsJsonAsync("/api/v1/disputes", new { subjectKind = "EscalationDecline", subjectId = Guid.NewGuid() }, Ct), HttpStatusCode.BadRequest), "grounds");
        AssertNamesField(await AssertProblemAsync(await nps.SendAsync(Resolution(dispute, new { outcome = "Agreed" }), Ct), HttpStatusCode.BadRequest), "text");
        AssertNamesField(await AssertProblemAsync(await nps.SendAsync(Resolution(dispute, new { outcome = "Upheld", newHolder = CrcGreaterManchester }), Ct), HttpStatusCode.BadRequest), "responsibleOfficerId");
        AssertNamesField(await AssertProblemAsync(await nps.SendAsync(Post(Act(dispute, "statements"), Statement("")), Ct), HttpStatusCode.BadRequest), "text");
        await AssertProblemAsync(await nps.PostAsJsonAsync("/api/v1/disputes", new { subjectKind = "EscalationDecline", subjectId = Guid.NewGuid(), grounds = "x" }, Ct), HttpStatusCode.NotFound);
    }
}

public sealed class DisputeWorkflowTestsOnSqlite(SqliteApp app) : DisputeWorkflowTests(app), IClassFixture<SqliteApp>;

public sealed class DisputeWorkflowTestsOnPostgres(PostgresApp app) : DisputeWorkflowTests(app), IClassFixture<PostgresApp>;
