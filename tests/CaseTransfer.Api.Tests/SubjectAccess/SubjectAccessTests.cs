using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Disputes;
using CaseTransfer.Api.Tests.Escalations;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Api.Tests.Sharing;
using CaseTransfer.Api.Tests.VictimLiaison;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.SubjectAccess;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;
using static CaseTransfer.Api.Tests.Infrastructure.Problems;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.SubjectAccess;

/// <summary>
/// A subject access request over HTTP: a case built with one of every kind of record, the bundle gathered by the job
/// (driven here as the worker would), read back as JSON and as the PDF's text, with nothing of anyone else in it.
/// Runs once per engine (see the sealed classes at the end).
/// </summary>
public abstract class SubjectAccessTests(EscalationClockApp app)
{
    private const string Path = "/api/v1/subject-access-requests";
    private const string VictimName = "Bernadette Quiggley";
    private const string VictimAddress = "14 Acacia Avenue, Salford";
    private const string VictimPhone = "0161 496 0777";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int _serial = Random.Shared.Next(0, 5_000_000);

    private HttpClient Officer() => app.ClientFor(Nps, "dpo-01", Roles.DataProtectionOfficer);

    /// <summary>A PNC ID and NOMS number no other test uses (the shared test data gives every case the same ones).</summary>
    private static (string Pnc, string Noms) NewIdentifiers()
    {
        var serial = Interlocked.Increment(ref _serial).ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
        var noms = $"S{serial[^4..]}{(char)('A' + (serial[0] - '0'))}{(char)('A' + (serial[1] - '0'))}";
        return ($"2019/{serial}{PncId.CheckLetterFor("2019", serial)}", noms);
    }

    private sealed record Built(string Crn, string Pnc, string Noms, string OtherCrn, string[] StaffIds);

    /// <summary>
    /// Ottoline Pemberton-Vane: opened and assessed by NPS North West, allocated to CRC-CGM (accepted), given an alias,
    /// escalated (declined) and the decline disputed; a police check asked for; a document uploaded and shared with CRC
    /// London, which reads the case; a victim condition and a victim's details recorded. And another person, Horatio
    /// Blenkinsop, with records of his own.
    /// </summary>
    private async Task<Built> BuildAsync()
    {
        app.Clock.Set(DateTimeOffset.UtcNow);
        var escalations = new EscalationScenario(app, app.Clock);
        var sharing = new SharingScenario(app, app.Clock);
        var disputes = new DisputeScenario(app, app.Clock);
        var victims = new VictimLiaisonScenario(app);
        var nps = escalations.NpsAllocator();
        var (pnc, noms) = NewIdentifiers();

        var crn = NewCrn();
        var body = NewCase(crn, "Ottoline", "Pemberton-Vane");
        body["pncId"] = pnc;
        body["nomsNumber"] = noms;
        (await nps.PostAsJsonAsync("/api/v1/cases", body, Ct)).EnsureSuccessStatusCode();
        (await nps.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        (await nps.PostAsJsonAsync($"/api/v1/cases/{crn}/other-names", new { kind = "Alias", firstName = "Lottie", middleNames = (string?)null, lastName = "Vane" }, Ct)).EnsureSuccessStatusCode();

        var proposed = await nps.PostAsJsonAsync("/api/v1/allocations", new { crn, toOrganisation = CrcGreaterManchester, reason = "NewSentence" }, Ct);
        Assert.True(proposed.StatusCode == HttpStatusCode.Created, await proposed.Content.ReadAsStringAsync(Ct));
        var allocation = await proposed.ReadJsonAsync();
        await EscalationScenario.DoneAsync(await escalations.Provider().SendAsync(
            EscalationScenario.Post($"/api/v1/allocations/{allocation["id"]}/accept", new { responsibleOfficerId = DisputeScenario.ProviderOfficer }), Ct));

        var high = await escalations.RecordHighRiskAsync(crn);
        var requested = await escalations.RequestAsync(crn, EscalationScenario.Id(high));
        Assert.True(requested.StatusCode == HttpStatusCode.Created, await requested.Content.ReadAsStringAsync(Ct));
        var escalation = await requested.ReadJsonAsync();
        await EscalationScenario.DoneAsync(await escalations.Decider().SendAsync(EscalationScenario.Post(EscalationScenario.Act(escalation, "acknowledge"), null), Ct));
        var declined = await EscalationScenario.DoneAsync(await escalations.Decider().SendAsync(
            EscalationScenario.Post(EscalationScenario.Act(escalation, "decline"), new { reason = "ManageableByProvider", text = "Weekly reporting" }), Ct));
        await DisputeScenario.RaisedAsync(disputes.ProviderManager(), "EscalationDecline", declined);

        await sharing.RequestedAsync(crn);
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        var content = new ByteArrayContent(pdf);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        var uploaded = await sharing.Holder().PostAsync($"/api/v1/cases/{crn}/documents?fileName=pre-cons.pdf&title=Previous%20convictions", content, Ct);
        Assert.True(uploaded.StatusCode == HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync(Ct));
        var document = await uploaded.ReadJsonAsync();
        var share = await sharing.Holder().PostAsJsonAsync("/api/v1/shares", sharing.Share(crn, named: [SharingScenario.NamedRecipientId], documents: [document["id"]!.GetValue<string>()]), Ct);
        Assert.True(share.StatusCode == HttpStatusCode.Created, await share.Content.ReadAsStringAsync(Ct));
        (await sharing.NamedRecipient().GetAsync($"/api/v1/cases/{crn}", Ct)).EnsureSuccessStatusCode(); // a read by another organisation

        await victims.RecordConditionAsync(crn, VictimLiaisonScenario.ExclusionZone());
        await victims.RecordVictimAsync(crn, new { name = VictimName, address = VictimAddress, phone = VictimPhone, email = "bq@example.org", relationship = "Former neighbour", notes = "Moved after the offence" });

        // Another person, with records of his own that must not appear.
        var other = await CreateCaseAsync(nps, firstName: "Horatio", lastName: "Blenkinsop");
        (await nps.PostAsJsonAsync($"/api/v1/cases/{other}/risk-assessments", Assessment("Low"), Ct)).EnsureSuccessStatusCode();
        (await nps.GetAsync($"/api/v1/cases/{other}", Ct)).EnsureSuccessStatusCode();
        await victims.RecordVictimAsync(other, new { name = "Cuthbert Ramsbottom", address = "9 Elm Row", phone = "0161 496 0999", email = (string?)null, relationship = (string?)null, notes = (string?)null });

        return new Built(crn, pnc, noms, other, ["nw-spo-01", "nw-spo-05", "cgm-po-02", "cgm-tm-01", "cgm-io-01", "lon-po-01", "vlu-01"]);
    }

    private static JsonObject Ask(string? crn = null, string? pnc = null, string? noms = null, string? from = null, string? to = null, string reference = "DPO-2026-0042") => new()
    {
        ["crn"] = crn,
        ["pncId"] = pnc,
        ["nomsNumber"] = noms,
        ["from"] = from,
        ["to"] = to,
        ["reference"] = reference,
    };

    private async Task<Guid> RequestedAsync(JsonObject ask)
    {
        var response = await Officer().PostAsJsonAsync(Path, ask, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        var view = await response.ReadJsonAsync();
        var id = view["id"]!.GetValue<Guid>();
        Assert.Equal($"{Path}/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Queued", view["state"]!.GetValue<string>());
        Assert.True(response.Headers.Contains("Audit-Receipt"));
        return id;
    }

    /// <summary>Claims and gathers the request as the worker would; false when stopped after <paramref name="maxPages"/>.</summary>
    private async Task<bool> GatherAsync(Guid id, int maxPages = int.MaxValue, bool claim = true)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var gatherer = scope.ServiceProvider.GetRequiredService<SubjectAccessGatherer>();
        if (claim)
        {
            Assert.True(await gatherer.ClaimAsync(id, Ct));
        }

        return await gatherer.GatherAsync(id, maxPages, Ct);
    }

    private async Task<JsonObject> StatusAsync(Guid id) => (await Officer().GetFromJsonAsync<JsonObject>($"{Path}/{id}", Ct))!;

    private static string PdfText(byte[] bytes)
    {
        using var document = PdfDocument.Open(bytes);
        return string.Join('\n', document.GetPages().Select(p => string.Join(' ', p.GetWords().Select(w => w.Text))));
    }

    [Fact]
    public async Task The_bundle_holds_every_kind_of_record_on_the_person_and_nothing_about_anyone_else()
    {
        var built = await BuildAsync();

        var id = await RequestedAsync(Ask(crn: built.Crn));
        Assert.Equal("Queued", (await StatusAsync(id))["state"]!.GetValue<string>());
        Assert.True(await GatherAsync(id));

        var ready = await StatusAsync(id);
        Assert.Equal("Ready", ready["state"]!.GetValue<string>());
        Assert.Equal(ready["progress"]!["total"]!.GetValue<int>(), ready["progress"]!["gathered"]!.GetValue<int>());
        Assert.True(ready["bundle"]!["expiresAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddDays(29));

        var jsonResponse = await Officer().GetAsync(ready["links"]!["bundleJson"]!.GetValue<string>(), Ct);
        Assert.Equal(HttpStatusCode.OK, jsonResponse.StatusCode);
        var jsonBytes = await jsonResponse.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(ready["bundle"]!["jsonSha256"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(jsonBytes)));
        var json = JsonNode.Parse(jsonBytes)!.AsObject();
        var jsonText = Encoding.UTF8.GetString(jsonBytes);

        var pdfResponse = await Officer().GetAsync(ready["links"]!["bundlePdf"]!.GetValue<string>(), Ct);
        Assert.Equal(HttpStatusCode.OK, pdfResponse.StatusCode);
        Assert.Equal("application/pdf", pdfResponse.Content.Headers.ContentType?.MediaType);
        var pdfText = PdfText(await pdfResponse.Content.ReadAsByteArrayAsync(Ct));

        // Every kind of record the case has.
        Assert.Equal(built.Crn, json["subject"]!["crn"]!.GetValue<string>());
        Assert.Equal("Ottoline", json["subject"]!["firstName"]!.GetValue<string>());
        Assert.Equal(CrcGreaterManchester, json["caseRecord"]!["holderOrganisation"]!.GetValue<string>());
        foreach (var section in new[] { "names", "riskAssessments", "tiers", "holdings", "allocations", "escalations", "disputes", "informationRequests", "shares", "documents", "victimConditions", "disclosureLog" })
        {
            Assert.True(json[section]!.AsArray().Count > 0, $"the bundle's {section} is empty");
        }

        Assert.Equal("Lottie", json["names"]![0]!["firstName"]!.GetValue<string>());
        Assert.Equal("Accepted", json["allocations"]![0]!["state"]!.GetValue<string>());
        Assert.Equal("receiving staff at CRC-CGM", json["allocations"]![0]!["decidedBy"]!.GetValue<string>());
        Assert.Equal("Declined", json["escalations"]![0]!["state"]!.GetValue<string>());
        Assert.Equal("pre-cons.pdf", json["documents"]![0]!["fileName"]!.GetValue<string>());
        Assert.Equal("ExclusionZone", json["victimConditions"]![0]!["kind"]!.GetValue<string>());
        var log = json["disclosureLog"]!.AsArray();
        Assert.Contains(log, e => e!["by"]!.GetValue<string>() == $"member of staff at {CrcLondon}" && e["action"]!.GetValue<string>() == "GetCaseSummary");
        Assert.Contains(log, e => e!["action"]!.GetValue<string>() == nameof(RequestSubjectAccess));
        Assert.Contains(log, e => e!["recipients"]?.GetValue<string>() == $"{CrcLondon} (1 named member of staff)");

        foreach (var heading in new[] { "Case record", "Names and aliases", "Risk assessments", "Tier history", "Holdings", "Allocations", "Risk escalations", "Disputes", "Information requests", "Information shared", "Documents", "Victim conditions", "Disclosure log", "Withheld" })
        {
            Assert.Contains(heading, pdfText, StringComparison.Ordinal);
        }

        Assert.Contains(built.Crn, pdfText, StringComparison.Ordinal);
        Assert.Contains("Ottoline", pdfText, StringComparison.Ordinal);
        Assert.Contains("Pemberton-Vane", pdfText, StringComparison.Ordinal);
        Assert.Contains("Lottie", pdfText, StringComparison.Ordinal);
        Assert.Contains("pre-cons.pdf", pdfText, StringComparison.Ordinal);

        // Nothing about anyone else: victims, staff by name or user id, the other person.
        foreach (var text in new[] { jsonText, pdfText })
        {
            foreach (var secret in new[] { VictimName, "Quiggley", VictimAddress, "Acacia", VictimPhone, "Former neighbour", "Moved after the offence", "Horatio", "Blenkinsop", built.OtherCrn, "Ramsbottom", "Tom Riley", DisputeScenario.ProviderOfficer.ToString() })
            {
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            }

            foreach (var staff in built.StaffIds.Append("dpo-01"))
            {
                Assert.DoesNotContain(staff, text, StringComparison.Ordinal);
            }
        }

        var withheld = json["withheld"]!.AsArray().ToDictionary(w => w!["kind"]!.GetValue<string>(), w => w!["count"]!.GetValue<int>());
        Assert.Equal(1, withheld["victim-details"]);
        Assert.True(withheld["staff-identities"] >= 10);
        Assert.Equal(1, withheld["document-contents"]);
        Assert.Contains("victim-details", pdfText, StringComparison.Ordinal);

        // The request and each download are in the ledger: the downloads as disclosures to the data subject.
        var entries = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.ResourceType == "subject-access-request" && e.ResourceId == id.ToString() && e.ActorUserId == "dpo-01")
            .Select(e => new { e.Operation, e.Action, e.Recipients, e.Justification, e.Crn })
            .ToListAsync(Ct));
        var request = Assert.Single(entries, e => e.Action == nameof(RequestSubjectAccess));
        Assert.Equal(AuditOperation.Consultation, request.Operation);
        Assert.Contains("DPO-2026-0042", request.Justification, StringComparison.Ordinal);
        var downloads = entries.Where(e => e.Action == nameof(DownloadSubjectAccessBundle)).ToList();
        Assert.Equal(2, downloads.Count);
        Assert.All(downloads, d => Assert.Equal((AuditOperation.Disclosure, "data-subject", built.Crn), (d.Operation, d.Recipients, d.Crn?.Value)));
    }

    [Fact]
    public async Task A_person_is_found_by_PNC_ID_or_NOMS_number_and_the_period_bounds_what_is_gathered()
    {
        var built = await BuildAsync();

        var byPnc = await RequestedAsync(Ask(pnc: built.Pnc));
        var byNoms = await RequestedAsync(Ask(noms: built.Noms, from: "2000-01-01", to: "2000-12-31"));
        Assert.True(await GatherAsync(byPnc));
        Assert.True(await GatherAsync(byNoms));

        var all = await Officer().GetFromJsonAsync<JsonObject>($"{Path}/{byPnc}/bundle.json", Ct);
        var none = await Officer().GetFromJsonAsync<JsonObject>($"{Path}/{byNoms}/bundle.json", Ct);
        Assert.Equal(built.Crn, all!["subject"]!["crn"]!.GetValue<string>());
        Assert.NotEmpty(all["allocations"]!.AsArray());
        Assert.Equal(built.Crn, none!["subject"]!["crn"]!.GetValue<string>());
        Assert.Empty(none["allocations"]!.AsArray());
        Assert.Empty(none["disclosureLog"]!.AsArray());
        Assert.Empty(none["holdings"]!.AsArray());
    }

    [Fact]
    public async Task An_expired_bundle_is_gone_and_deleted_from_the_store()
    {
        app.Clock.Set(DateTimeOffset.UtcNow);
        var crn = await CreateCaseAsync(new EscalationScenario(app, app.Clock).NpsAllocator(), firstName: "Peregrine", lastName: "Tuttle");
        var id = await RequestedAsync(Ask(crn: crn));
        Assert.True(await GatherAsync(id));
        var keys = await app.InDatabaseAsync(db => db.SubjectAccessRequests.Where(r => r.Id == id).Select(r => new { r.JsonKey, r.PdfKey }).SingleAsync(Ct));
        var store = app.Services.GetRequiredService<CaseTransfer.Application.Documents.IDocumentStore>();
        Assert.True(await store.ExistsAsync(keys.JsonKey!, Ct));

        app.Clock.Set(DateTimeOffset.UtcNow.AddDays(31));
        try
        {
            var expired = await StatusAsync(id);
            Assert.True(expired["bundle"]!["expired"]!.GetValue<bool>());
            Assert.Null(expired["links"]!["bundleJson"]);
            await AssertProblemAsync(await Officer().GetAsync($"{Path}/{id}/bundle.json", Ct), HttpStatusCode.Gone, "/rules/subject-access-bundle-expired");

            await using (var scope = app.Services.CreateAsyncScope())
            {
                Assert.True(await scope.ServiceProvider.GetRequiredService<SubjectAccessGatherer>().DeleteExpiredAsync(Ct) >= 1);
            }

            Assert.False(await store.ExistsAsync(keys.JsonKey!, Ct));
            Assert.False(await store.ExistsAsync(keys.PdfKey!, Ct));
            await AssertProblemAsync(await Officer().GetAsync($"{Path}/{id}/bundle.pdf", Ct), HttpStatusCode.Gone);
        }
        finally
        {
            app.Clock.Set(DateTimeOffset.UtcNow);
        }
    }

    [Fact]
    public async Task A_large_case_is_gathered_with_progress_per_section()
    {
        app.Clock.Set(DateTimeOffset.UtcNow);
        var crn = await CreateCaseAsync(new EscalationScenario(app, app.Clock).NpsAllocator(), firstName: "Millicent", lastName: "Thorncastle");
        const int reads = 5_000;
        await app.InDatabaseAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var entries = Enumerable.Range(0, reads).Select(i => new AuditEntry(
                Guid.CreateVersion7(now), now.AddSeconds(-i), AuditOperation.Consultation, "GetCaseSummary", $"po-{i % 40}", $"Officer {i % 40}",
                i % 2 == 0 ? NpsNorthWest : CrcGreaterManchester, null, "trace", Crn.Parse(crn), "case", crn, 1, "case summary")).ToList();
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            await db.InsertManyAsync(entries, Ct);
            await transaction.CommitAsync(Ct);
            return 0;
        });

        var id = await RequestedAsync(Ask(crn: crn));
        Assert.False(await GatherAsync(id, maxPages: 3)); // the case record, its holding, a page of the log: then it stops (as a worker that died would)
        var gathering = await StatusAsync(id);
        Assert.Equal("Gathering", gathering["state"]!.GetValue<string>());
        var log = gathering["progress"]!["sections"]!.AsArray().Single(s => s!["section"]!.GetValue<string>() == "disclosureLog")!;
        Assert.True(log["total"]!.GetValue<int>() > reads);
        Assert.InRange(log["gathered"]!.GetValue<int>(), 1, log["total"]!.GetValue<int>() - 1);

        Assert.True(await GatherAsync(id, claim: false)); // the same worker carries on (gathers again from the start)
        var ready = await StatusAsync(id);
        Assert.Equal("Ready", ready["state"]!.GetValue<string>());
        var bundle = await Officer().GetFromJsonAsync<JsonObject>($"{Path}/{id}/bundle.json", Ct);
        Assert.True(bundle!["disclosureLog"]!.AsArray().Count > reads);
        Assert.DoesNotContain("Officer 1", bundle.ToJsonString(), StringComparison.Ordinal);
        var pdf = await Officer().GetByteArrayAsync($"{Path}/{id}/bundle.pdf", Ct);
        Assert.Contains(crn, PdfText(pdf), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_workers_never_gather_one_request_and_one_whose_worker_died_is_taken_up_again()
    {
        app.Clock.Set(DateTimeOffset.UtcNow);
        var crn = await CreateCaseAsync(new EscalationScenario(app, app.Clock).NpsAllocator(), firstName: "Araminta", lastName: "Gosling");
        var id = await RequestedAsync(Ask(crn: crn));
        await using var first = app.Services.CreateAsyncScope();
        await using var second = app.Services.CreateAsyncScope(); // a context and connection of its own, as another instance has
        var one = first.ServiceProvider.GetRequiredService<SubjectAccessGatherer>();
        var other = second.ServiceProvider.GetRequiredService<SubjectAccessGatherer>();

        var claims = await Task.WhenAll(one.ClaimAsync(id, Ct), other.ClaimAsync(id, Ct));
        Assert.Equal(1, claims.Count(c => c));
        var (winner, loser) = claims[0] ? (one, other) : (other, one);
        Assert.False(await loser.ClaimAsync(id, Ct)); // held under a live lease

        // The winner "dies" after one page; once its lease has run out the other takes the request up and finishes it.
        Assert.False(await winner.GatherAsync(id, maxPages: 1, Ct));
        app.Clock.Set(DateTimeOffset.UtcNow.AddMinutes(10));
        try
        {
            Assert.Contains(id, await loser.ClaimableIdsAsync(Ct));
            Assert.True(await loser.ClaimAsync(id, Ct));
            Assert.True(await loser.GatherAsync(id, cancellationToken: Ct));
            Assert.True(await winner.GatherAsync(id, cancellationToken: Ct)); // nothing left to do: it is Ready
            var ready = await StatusAsync(id);
            Assert.Equal("Ready", ready["state"]!.GetValue<string>());
        }
        finally
        {
            app.Clock.Set(DateTimeOffset.UtcNow);
        }
    }

    [Fact]
    public async Task Only_a_data_protection_officer_of_the_NPS_may_ask()
    {
        app.Clock.Set(DateTimeOffset.UtcNow);
        var crn = await CreateCaseAsync(new EscalationScenario(app, app.Clock).NpsAllocator());
        var ask = Ask(crn: crn);

        await AssertProblemAsync(await app.ClientFor(CrcGreaterManchester, "cgm-dpo", Roles.DataProtectionOfficer).PostAsJsonAsync(Path, ask, Ct), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await app.ClientFor(Nps, "nps-admin", Roles.Admin, Roles.Auditor, Roles.InformationOfficer).PostAsJsonAsync(Path, ask, Ct), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.AnonymousClient().PostAsJsonAsync(Path, ask, Ct)).StatusCode);
        var id = await RequestedAsync(ask);
        await AssertProblemAsync(await app.ClientFor(CrcGreaterManchester, "cgm-dpo", Roles.DataProtectionOfficer).GetAsync($"{Path}/{id}", Ct), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager).GetAsync($"{Path}/{id}/bundle.json", Ct), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await Officer().GetAsync($"{Path}/{id}/bundle.json", Ct), HttpStatusCode.Conflict, "/rules/subject-access-bundle-not-ready");
        await AssertProblemAsync(await Officer().GetAsync($"{Path}/{Guid.CreateVersion7()}", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_requests_are_refused_naming_the_field()
    {
        app.Clock.Set(DateTimeOffset.UtcNow);
        var crn = await CreateCaseAsync(new EscalationScenario(app, app.Clock).NpsAllocator());
        await CreateCaseAsync(new EscalationScenario(app, app.Clock).NpsAllocator()); // a second case with the shared PNC ID
        var officer = Officer();
        var tomorrow = SharingScenario.London(DateTimeOffset.UtcNow.AddDays(1));

        AssertNamesField(await AssertProblemAsync(await officer.PostAsJsonAsync(Path, Ask(), Ct), HttpStatusCode.BadRequest), "crn");
        AssertNamesField(await AssertProblemAsync(await officer.PostAsJsonAsync(Path, Ask(crn: crn, noms: "A1234BC"), Ct), HttpStatusCode.BadRequest), "crn");
        AssertNamesField(await AssertProblemAsync(await officer.PostAsJsonAsync(Path, Ask(crn: "123"), Ct), HttpStatusCode.BadRequest), "crn");
        AssertNamesField(await AssertProblemAsync(await officer.PostAsJsonAsync(Path, Ask(pnc: "2012/0052494A"), Ct), HttpStatusCode.BadRequest), "pncId");
        AssertNamesField(await AssertProblemAsync(await officer.PostAsJsonAsync(Path, Ask(noms: "nope"), Ct), HttpStatusCode.BadRequest), "nomsNumber");
        AssertNamesField(await AssertProblemAsync(await officer.PostAsJsonAsync(Path, Ask(crn: crn, to: tomorrow), Ct), HttpStatusCode.BadRequest), "to");
        AssertNamesField(await AssertProblemAsync(await officer.PostAsJsonAsync(Path, Ask(crn: crn, from: "2026-02-01", to: "2026-01-01"), Ct), HttpStatusCode.BadRequest), "from");
        AssertNamesField(await AssertProblemAsync(await officer.PostAsJsonAsync(Path, Ask(crn: crn, reference: ""), Ct), HttpStatusCode.BadRequest), "reference");
        var extra = Ask(crn: crn);
        extra["victimName"] = "x";
        await AssertProblemAsync(await officer.PostAsJsonAsync(Path, extra, Ct), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await officer.PostAsJsonAsync(Path, Ask(crn: NewCrn()), Ct), HttpStatusCode.NotFound);

        // The shared test data gives many cases one PNC ID: which record is the person's is not the service's to guess.
        await AssertProblemAsync(await officer.PostAsJsonAsync(Path, Ask(pnc: "2012/0052494Q"), Ct), HttpStatusCode.Conflict, "/rules/subject-identifier-ambiguous");
    }

    [Fact]
    public async Task A_retried_request_with_the_same_Idempotency_Key_is_asked_once()
    {
        app.Clock.Set(DateTimeOffset.UtcNow);
        var crn = await CreateCaseAsync(new EscalationScenario(app, app.Clock).NpsAllocator());
        HttpRequestMessage Request() => new(HttpMethod.Post, Path) { Content = JsonContent.Create(Ask(crn: crn, reference: "DPO-RETRY")) };

        await AssertRetryReplaysAsync(Officer(), Request, $"sar-{Guid.NewGuid()}", HttpStatusCode.Accepted);
        Assert.Equal(1, await app.InDatabaseAsync(db => db.SubjectAccessRequests.CountAsync(r => r.Reference == "DPO-RETRY" && r.Crn == crn, Ct)));
    }
}

public sealed class SubjectAccessTestsOnSqlite(SqliteEscalationClockApp app) : SubjectAccessTests(app), IClassFixture<SqliteEscalationClockApp>;

public sealed class SubjectAccessTestsOnPostgres(PostgresEscalationClockApp app) : SubjectAccessTests(app), IClassFixture<PostgresEscalationClockApp>;
