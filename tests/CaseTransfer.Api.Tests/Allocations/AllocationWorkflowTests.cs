using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Infrastructure.Problems;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Allocations;

/// <summary>
/// The allocation workflow over HTTP: the NPS proposes, an override waits for a second manager, the provider accepts
/// (the case moves) or rejects, the NPS withdraws. Runs once per engine.
/// </summary>
public abstract class AllocationWorkflowTests(CaseTransferApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient NpsAllocator() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    /// <summary>An allocator who is also a manager: may propose, but not approve their own override.</summary>
    private HttpClient NpsAllocatingManager() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.Manager);

    private HttpClient NpsManager() => app.ClientFor(NpsNorthWest, "nw-spo-05", Roles.Manager);

    private HttpClient Provider() => app.ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager);

    private HttpClient OtherProvider() => app.ClientFor(CrcLondon, "crcl-po-02", Roles.CaseManager, Roles.Allocator);

    private static HttpRequestMessage Post(string path, object? body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    /// <summary>A case held by NPS North West in Greater Manchester whose facts the rules send to CRC-CGM.</summary>
    private async Task<string> CaseForTheProviderAsync(HttpClient client)
    {
        var crn = await CreateCaseAsync(client);
        (await client.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        return crn;
    }

    private static Task<HttpResponseMessage> ProposeAsync(HttpClient client, string crn, string to = CrcGreaterManchester, string? justification = null) =>
        client.PostAsJsonAsync("/api/v1/allocations", new JsonObject
        {
            ["crn"] = crn,
            ["toOrganisation"] = to,
            ["reason"] = "NewSentence",
            ["justification"] = justification,
        }, Ct);

    private static async Task<JsonObject> ProposedAsync(HttpClient client, string crn, string to = CrcGreaterManchester, string? justification = null)
    {
        var response = await ProposeAsync(client, crn, to, justification);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"propose answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadJsonAsync();
    }

    private static string Id(JsonObject allocation) => allocation["id"]!.GetValue<string>();

    private static string Act(JsonObject allocation, string action) => $"/api/v1/allocations/{Id(allocation)}/{action}";

    private static object Acceptance => new { responsibleOfficerId = TomRileyCrcCgm };

    /// <summary>A decision that was made: 200, with the receipt that its audit entry is in the log.</summary>
    private static async Task<JsonObject> DoneAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        Assert.True(response.Headers.Contains("Audit-Receipt"), "a write must carry an Audit-Receipt");
        return await response.ReadJsonAsync();
    }

    private Task<List<string>> EventsAsync(string crn) =>
        app.InDatabaseAsync(db => db.OutboxMessages.Where(o => o.Crn == crn).Select(o => o.EventType).ToListAsync(Ct));

    [Fact]
    public async Task Accepting_a_proposal_moves_the_case_to_the_provider_with_the_officer_it_named()
    {
        var nps = NpsAllocator();
        var crn = await CaseForTheProviderAsync(nps);

        var proposal = await ProposeAsync(nps, crn);

        Assert.Equal(HttpStatusCode.Created, proposal.StatusCode);
        Assert.True(proposal.Headers.Contains("Audit-Receipt"));
        Assert.Equal("\"1\"", proposal.Headers.ETag?.Tag);
        var allocation = await proposal.ReadJsonAsync();
        Assert.Equal($"/api/v1/allocations/{Id(allocation)}", proposal.Headers.Location?.OriginalString);
        Assert.Equal("Proposed", allocation["state"]!.GetValue<string>());
        Assert.False(allocation["isOverride"]!.GetValue<bool>());
        Assert.NotNull(allocation["dueBy"]);
        var decision = allocation["decision"]!;
        Assert.Equal("AllocateToProvider", decision["outcome"]!.GetValue<string>());
        Assert.Equal(CrcGreaterManchester, decision["receivingOrganisationCode"]!.GetValue<string>());
        Assert.Equal("2026.1", decision["rulesetVersion"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{64}$", decision["rulesetHash"]!.GetValue<string>());
        Assert.Contains(decision["rules"]!.AsArray(), r => r!["ruleId"]!.GetValue<string>() == "rosh-high-or-very-high"
            && r["facts"]![0]!["value"]!.GetValue<string>() == "Medium");

        // The provider reads what it needs to decide before it holds the case.
        var provider = Provider();
        var seen = await (await provider.GetAsync($"/api/v1/allocations/{Id(allocation)}", Ct)).ReadJsonAsync();
        Assert.Equal("Smith", seen["case"]!["name"]!["lastName"]!.GetValue<string>());
        Assert.Equal("Medium", seen["case"]!["riskOfSeriousHarm"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync($"/api/v1/cases/{crn}", Ct)).StatusCode);
        var pending = (await (await nps.GetAsync($"/api/v1/cases/{crn}", Ct)).ReadJsonAsync())["pending"]!;
        Assert.Equal($"/api/v1/allocations/{Id(allocation)}", Assert.Single(pending["items"]!.AsArray())!["href"]!.GetValue<string>());

        var accepted = await provider.SendAsync(Post(Act(allocation, "accept"), Acceptance, "\"1\""), Ct);

        var body = await DoneAsync(accepted);
        Assert.Equal("\"2\"", accepted.Headers.ETag?.Tag);
        Assert.Equal("Accepted", body["state"]!.GetValue<string>());
        Assert.Equal(TomRileyCrcCgm.ToString(), body["responsibleOfficerId"]!.GetValue<string>());
        var summary = await (await provider.GetAsync($"/api/v1/cases/{crn}", Ct)).ReadJsonAsync();
        Assert.Equal(0, summary["pending"]!["total"]!.GetValue<int>());
        Assert.Equal(CrcGreaterManchester, summary["holder"]!["code"]!.GetValue<string>());
        Assert.Equal("Tom Riley", summary["responsibleOfficer"]!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await nps.GetAsync($"/api/v1/cases/{crn}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await nps.GetAsync($"/api/v1/allocations/{Id(allocation)}", Ct)).StatusCode);

        var events = await EventsAsync(crn);
        Assert.Contains("case-transfer.allocation.proposed", events);
        Assert.Contains("case-transfer.allocation.accepted", events);
        Assert.Contains("case-transfer.case.holder-changed", events);
        Assert.Contains("case-transfer.case.responsible-officer-assigned", events);
    }

    [Fact]
    public async Task Proposing_is_audited_as_a_disclosure_to_the_provider_and_stores_the_decision()
    {
        var nps = NpsAllocator();
        var crn = await CaseForTheProviderAsync(nps);

        var allocation = await ProposedAsync(nps, crn);

        var entry = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .SingleAsync(e => e.Crn == (Crn?)Crn.Parse(crn) && e.Action == "ProposeAllocation", Ct));
        Assert.Equal(AuditOperation.Disclosure, entry.Operation);
        Assert.Equal(CrcGreaterManchester, entry.Recipients);
        Assert.Equal("allocation", entry.ResourceType);
        Assert.Equal(Id(allocation), entry.ResourceId);
        var stored = await app.InDatabaseAsync(db => db.Allocations.AsNoTracking().SingleAsync(a => a.Id == Guid.Parse(Id(allocation)), Ct));
        Assert.Contains("\"rosh\":\"Medium\"", stored.FactsJson, StringComparison.Ordinal);
        Assert.Contains("rosh-high-or-very-high", stored.DecisionJson, StringComparison.Ordinal);
        Assert.Equal(allocation["decision"]!["rulesetHash"]!.GetValue<string>(), stored.RulesetHash);
    }

    [Fact]
    public async Task Rejecting_leaves_the_case_with_the_NPS_and_frees_it_for_another_proposal()
    {
        var nps = NpsAllocator();
        var crn = await CaseForTheProviderAsync(nps);
        var allocation = await ProposedAsync(nps, crn);

        var rejected = await DoneAsync(await Provider().SendAsync(
            Post(Act(allocation, "reject"), new { reason = "InsufficientInformation", text = "No pre-sentence report" }), Ct));

        Assert.Equal("Rejected", rejected["state"]!.GetValue<string>());
        Assert.Equal("InsufficientInformation", rejected["rejectionReason"]!.GetValue<string>());
        Assert.Equal(NpsNorthWest, (await (await nps.GetAsync($"/api/v1/cases/{crn}", Ct)).ReadJsonAsync())["holder"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Provider().GetAsync($"/api/v1/cases/{crn}", Ct)).StatusCode);
        Assert.Contains("case-transfer.allocation.rejected", await EventsAsync(crn));
        Assert.Equal(HttpStatusCode.Created, (await ProposeAsync(nps, crn)).StatusCode);
    }

    [Fact]
    public async Task The_NPS_may_withdraw_before_a_decision_and_the_provider_can_then_no_longer_accept()
    {
        var nps = NpsAllocator();
        var crn = await CaseForTheProviderAsync(nps);
        var allocation = await ProposedAsync(nps, crn);

        var withdrawn = await DoneAsync(await nps.SendAsync(Post(Act(allocation, "withdraw"), new { text = "Sentence appealed" }, "\"1\""), Ct));

        Assert.Equal("Withdrawn", withdrawn["state"]!.GetValue<string>());
        Assert.Equal("Sentence appealed", withdrawn["decisionText"]!.GetValue<string>());
        await AssertProblemAsync(
            await Provider().SendAsync(Post(Act(allocation, "accept"), Acceptance), Ct), HttpStatusCode.Conflict, "/rules/allocation-withdrawn");
        await AssertProblemAsync(
            await Provider().SendAsync(Post(Act(allocation, "withdraw"), new { }), Ct), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_override_needs_a_justification_and_the_approval_of_another_manager_before_the_provider_sees_it()
    {
        // No risk assessment: the rules' outcome is provisional, so proposing on it is an override.
        var proposer = NpsAllocatingManager();
        var crn = await CreateCaseAsync(proposer);

        await AssertProblemAsync(await ProposeAsync(proposer, crn), HttpStatusCode.Conflict, "/rules/override-needs-justification");
        var allocation = await ProposedAsync(proposer, crn, justification: "Court ordered the provider's programme; OASys to follow");

        Assert.Equal("AwaitingApproval", allocation["state"]!.GetValue<string>());
        Assert.True(allocation["isOverride"]!.GetValue<bool>());
        Assert.True(allocation["decision"]!["provisional"]!.GetValue<bool>());
        Assert.Null(allocation["dueBy"]);
        Assert.Equal(HttpStatusCode.NotFound, (await Provider().GetAsync($"/api/v1/allocations/{Id(allocation)}", Ct)).StatusCode);
        await AssertProblemAsync(await Provider().SendAsync(Post(Act(allocation, "accept"), Acceptance), Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(
            await proposer.SendAsync(Post(Act(allocation, "approve"), new { }), Ct), HttpStatusCode.Conflict, "/rules/approver-is-proposer");
        await AssertProblemAsync(await NpsAllocator().SendAsync(Post(Act(allocation, "approve"), new { }), Ct), HttpStatusCode.Forbidden);

        var approved = await DoneAsync(await NpsManager().SendAsync(Post(Act(allocation, "approve"), new { text = "Agreed" }, "\"1\""), Ct));

        Assert.Equal("Proposed", approved["state"]!.GetValue<string>());
        Assert.Equal("nw-spo-05", approved["approval"]!["approvedBy"]!.GetValue<string>());
        Assert.NotNull(approved["dueBy"]);
        Assert.Equal(HttpStatusCode.OK, (await Provider().GetAsync($"/api/v1/allocations/{Id(allocation)}", Ct)).StatusCode);
        var proposed = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .SingleAsync(e => e.Crn == (Crn?)Crn.Parse(crn) && e.Action == "ProposeAllocation", Ct));
        Assert.Equal("Court ordered the provider's programme; OASys to follow", proposed.Justification);
        Assert.Equal(
            ["case-transfer.allocation.override-approved", "case-transfer.allocation.override-requested", "case-transfer.allocation.proposed"],
            (await EventsAsync(crn)).Where(e => e.Contains("allocation", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public async Task Proposing_to_another_provider_than_the_rules_name_is_an_override_a_manager_may_refuse()
    {
        var nps = NpsAllocator();
        var crn = await CaseForTheProviderAsync(nps);
        var allocation = await ProposedAsync(nps, crn, to: CrcMerseyside, justification: "Moving to Liverpool next week");
        Assert.Equal("AwaitingApproval", allocation["state"]!.GetValue<string>());

        await AssertProblemAsync(await NpsManager().SendAsync(Post(Act(allocation, "refuse"), new { }), Ct), HttpStatusCode.BadRequest);
        var refused = await DoneAsync(await NpsManager().SendAsync(Post(Act(allocation, "refuse"), new { text = "Wait for the move" }), Ct));

        Assert.Equal("Refused", refused["state"]!.GetValue<string>());
        Assert.Equal(NpsNorthWest, (await (await nps.GetAsync($"/api/v1/cases/{crn}", Ct)).ReadJsonAsync())["holder"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_provider_cannot_propose_even_a_case_it_does_not_hold_so_the_answer_says_nothing_about_the_case()
    {
        var crn = await CaseForTheProviderAsync(NpsAllocator());
        var provider = app.ClientFor(CrcGreaterManchester, "cgm-spo-01", Roles.Allocator);

        await AssertProblemAsync(await ProposeAsync(provider, crn), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await ProposeAsync(provider, "Y999999"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Another_provider_and_another_NPS_region_do_not_find_the_allocation()
    {
        var nps = NpsAllocator();
        var crn = await CaseForTheProviderAsync(nps);
        var allocation = await ProposedAsync(nps, crn);
        var otherRegion = app.ClientFor(NpsLondon, "ldn-spo-01", Roles.Allocator);

        await AssertProblemAsync(await OtherProvider().GetAsync($"/api/v1/allocations/{Id(allocation)}", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await OtherProvider().SendAsync(Post(Act(allocation, "accept"), Acceptance), Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await otherRegion.SendAsync(Post(Act(allocation, "withdraw"), new { }), Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await ProposeAsync(otherRegion, crn), HttpStatusCode.NotFound);
        var listed = await OtherProvider().GetFromJsonAsync<JsonObject>($"/api/v1/allocations?crn={crn}", Ct);
        Assert.Empty(listed!["items"]!.AsArray());

        // The NPS above the region sees and may withdraw it.
        var national = app.ClientFor(Nps, "nps-alloc-01", Roles.Allocator);
        Assert.Equal(HttpStatusCode.OK, (await national.GetAsync($"/api/v1/allocations/{Id(allocation)}", Ct)).StatusCode);
        await DoneAsync(await national.SendAsync(Post(Act(allocation, "withdraw"), new { }), Ct));
    }

    [Fact]
    public async Task An_allocator_excluded_from_a_case_gets_404_on_proposing_it_and_a_colleague_may_propose_it()
    {
        var nps = NpsAllocator();
        var crn = await CaseForTheProviderAsync(nps);
        var limit = await nps.PostAsJsonAsync($"/api/v1/cases/{crn}/access-limits", new { kind = "Exclusion", staffCode = "nw-po-02" }, Ct);
        Assert.Equal(HttpStatusCode.Created, limit.StatusCode);
        var excluded = app.ClientFor(NpsNorthWest, "nw-po-02", Roles.Allocator);

        await AssertProblemAsync(await ProposeAsync(excluded, crn), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Created, (await ProposeAsync(nps, crn)).StatusCode);
    }

    [Fact]
    public async Task A_second_open_proposal_for_a_case_is_a_409()
    {
        var nps = NpsAllocator();
        var crn = await CaseForTheProviderAsync(nps);
        await ProposedAsync(nps, crn);

        await AssertProblemAsync(await ProposeAsync(nps, crn), HttpStatusCode.Conflict, "/rules/allocation-already-open");
    }

    [Fact]
    public async Task Two_proposals_racing_for_one_case_open_one_allocation()
    {
        var nps = NpsAllocator();
        for (var round = 0; round < 3; round++)
        {
            var crn = await CaseForTheProviderAsync(nps);

            var answers = await Task.WhenAll(ProposeAsync(nps, crn), ProposeAsync(nps, crn));

            await AssertOneWinsAsync(answers, HttpStatusCode.Created, $"{round}");
            Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.Conflict);
            Assert.Equal(1, await app.InDatabaseAsync(db => db.Allocations.CountAsync(a => a.Crn == Crn.Parse(crn), Ct)));
        }
    }

    [Fact]
    public async Task Two_decisions_on_one_allocation_at_once_exactly_one_wins()
    {
        var nps = NpsAllocator();
        var accepting = Provider();
        var rejecting = app.ClientFor(CrcGreaterManchester, "cgm-spo-01", Roles.Allocator);
        for (var round = 0; round < 3; round++)
        {
            var crn = await CaseForTheProviderAsync(nps);
            var allocation = await ProposedAsync(nps, crn);

            var answers = await Task.WhenAll(
                accepting.SendAsync(Post(Act(allocation, "accept"), Acceptance), Ct),
                round % 2 == 0
                    ? accepting.SendAsync(Post(Act(allocation, "accept"), Acceptance), Ct)
                    : rejecting.SendAsync(Post(Act(allocation, "reject"), new { reason = "ConflictOfInterest" }), Ct));

            var winner = await AssertOneWinsAsync(answers, HttpStatusCode.OK, $"{round}");
            var (holdings, decisions) = await app.InDatabaseAsync(async db => (
                await db.CaseHoldings.CountAsync(h => db.Cases.Any(c => c.Id == h.CaseId && c.Crn == Crn.Parse(crn)), Ct),
                await db.AuditEntries.CountAsync(e => e.Crn == (Crn?)Crn.Parse(crn) && (e.Action == "AcceptAllocation" || e.Action == "RejectAllocation"), Ct)));
            Assert.Equal(1, decisions);
            var accepted = (await winner.ReadJsonAsync())["state"]!.GetValue<string>() == "Accepted";
            Assert.Equal(accepted ? 2 : 1, holdings);
        }
    }

    /// <summary>Any tag but the current one fails the precondition (RFC 9110 13.1.1), even one the service never issued.</summary>
    [Theory]
    [InlineData("\"7\"")]
    [InlineData("\"stale\"")]
    [InlineData("W/\"1\"")]
    public async Task A_decision_against_an_ETag_that_is_not_the_current_one_is_a_412_and_changes_nothing(string ifMatch)
    {
        var nps = NpsAllocator();
        var crn = await CaseForTheProviderAsync(nps);
        var allocation = await ProposedAsync(nps, crn);
        var before = await app.CountRowsAsync();

        await AssertProblemAsync(
            await Provider().SendAsync(Post(Act(allocation, "accept"), Acceptance, ifMatch), Ct), HttpStatusCode.PreconditionFailed, "/precondition-failed");

        Assert.Equal(before, await app.CountRowsAsync());
        var read = await Provider().GetAsync($"/api/v1/allocations/{Id(allocation)}", Ct);
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        Assert.Equal("Proposed", (await read.ReadJsonAsync())["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Retrying_an_acceptance_with_the_same_Idempotency_Key_replays_it()
    {
        var nps = NpsAllocator();
        var crn = await CaseForTheProviderAsync(nps);
        var allocation = await ProposedAsync(nps, crn);
        await AssertRetryReplaysAsync(Provider(), () => Post(Act(allocation, "accept"), Acceptance), $"accept-{Id(allocation)}", HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("""{"crn":"X12","toOrganisation":"CRC-CGM","reason":"NewSentence"}""", "crn")]
    [InlineData("""{"crn":"X123456","reason":"NewSentence"}""", "toOrganisation")]
    [InlineData("""{"crn":"X123456","toOrganisation":"NPS-LDN","reason":"NewSentence"}""", "toOrganisation")]
    [InlineData("""{"crn":"X123456","toOrganisation":"CRC-NOWHERE","reason":"NewSentence"}""", "toOrganisation")]
    [InlineData("""{"crn":"X123456","toOrganisation":"CRC-CGM"}""", "reason")]
    [InlineData("""{"crn":"X123456","toOrganisation":"CRC-CGM","reason":"Sideways"}""", "reason")]
    [InlineData("""{"crn":"X123456","toOrganisation":"CRC-CGM","reason":"Other"}""", "reasonText")]
    public async Task A_bad_proposal_is_a_400_naming_the_field(string body, string field)
    {
        var response = await NpsAllocator().PostAsync("/api/v1/allocations", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        AssertNamesField(await AssertProblemAsync(response, HttpStatusCode.BadRequest), field);
    }

    [Fact]
    public async Task A_bad_decision_is_a_400_naming_the_field()
    {
        var nps = NpsAllocator();
        var allocation = await ProposedAsync(nps, await CaseForTheProviderAsync(nps));
        var provider = Provider();

        AssertNamesField(await AssertProblemAsync(await provider.SendAsync(Post(Act(allocation, "accept"), new { }), Ct), HttpStatusCode.BadRequest), "responsibleOfficerId");
        AssertNamesField(await AssertProblemAsync(await provider.SendAsync(Post(Act(allocation, "reject"), new { }), Ct), HttpStatusCode.BadRequest), "reason");
        AssertNamesField(await AssertProblemAsync(await provider.SendAsync(Post(Act(allocation, "reject"), new { reason = "Bored" }), Ct), HttpStatusCode.BadRequest), "reason");
        AssertNamesField(await AssertProblemAsync(await provider.SendAsync(Post(Act(allocation, "reject"), new { reason = "Other" }), Ct), HttpStatusCode.BadRequest), "text");
        AssertNamesField(await AssertProblemAsync(await provider.SendAsync(Post("/api/v1/allocations/not-an-id/accept", Acceptance), Ct), HttpStatusCode.BadRequest), "id");
        AssertNamesField(await AssertProblemAsync(await provider.GetAsync("/api/v1/allocations?state=Pending", Ct), HttpStatusCode.BadRequest), "state");
    }

    [Fact]
    public async Task The_list_pages_the_callers_allocations_by_cursor_and_filters_by_state_and_case()
    {
        var nps = NpsAllocator();
        var crns = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            crns.Add(await CaseForTheProviderAsync(nps));
            await ProposedAsync(nps, crns[^1]);
        }

        var seen = await AllPagesAsync(Provider(), "/api/v1/allocations?state=Proposed", 2, i => i["case"]!["crn"]!.GetValue<string>());

        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Superset(crns.ToHashSet(), seen.ToHashSet());
        var one = await nps.GetFromJsonAsync<JsonObject>($"/api/v1/allocations?crn={crns[1]}", Ct);
        Assert.Equal(crns[1], Assert.Single(one!["items"]!.AsArray())!["case"]!["crn"]!.GetValue<string>());
        var withdrawn = await nps.GetFromJsonAsync<JsonObject>($"/api/v1/allocations?crn={crns[1]}&state=Withdrawn", Ct);
        Assert.Empty(withdrawn!["items"]!.AsArray());
    }
}

public sealed class AllocationWorkflowTestsOnSqlite(SqliteApp app) : AllocationWorkflowTests(app), IClassFixture<SqliteApp>;

public sealed class AllocationWorkflowTestsOnPostgres(PostgresApp app) : AllocationWorkflowTests(app), IClassFixture<PostgresApp>;
