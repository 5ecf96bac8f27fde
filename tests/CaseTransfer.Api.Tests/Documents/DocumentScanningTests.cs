using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Escalations;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Api.Tests.Sharing;
using CaseTransfer.Application.Documents;
using CaseTransfer.Domain.Alerts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CaseTransfer.Api.Tests.Sharing.SharingScenario;

namespace CaseTransfer.Api.Tests.Documents;

/// <summary>The service on a movable clock with scanning on, against a real clamd of its own (started when installed).</summary>
public abstract class ScanningApp(Engine engine) : EscalationClockApp(engine)
{
    public Clamd? Clamd { get; } = Clamd.UnavailableReason is null ? Clamd.Start() : null;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in Clamd?.Settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Runs one pass of the background scanner, as the service would (this instance's clock).</summary>
    public async Task<DocumentRescanResult> RunDocumentRescanAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DocumentRescan>().RunAsync(TestContext.Current.CancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Clamd?.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteScanningApp() : ScanningApp(Engine.Sqlite);

public sealed class PostgresScanningApp() : ScanningApp(Engine.Postgres);

/// <summary>
/// Every upload is scanned by a real clamd as it streams in, before anyone reads it: the EICAR test file (alone, and
/// inside a Word document) is Infected, quarantined, seen only by its uploader's organisation with the signature,
/// alerted, evented and on the ledger; a clean file is Clean and readable; with clamd down an upload is Pending and
/// unreadable, and the background scanner makes it Clean once clamd is back, never before.
/// </summary>
public abstract class DocumentScanningTests(ScanningApp app)
{
    private readonly SharingScenario _s = new(app, app.Clock);

    private static readonly byte[] Letter = Encoding.UTF8.GetBytes("Dear colleague,\nPlease find the licence conditions below.\n");

    private async Task<string> CaseAsync()
    {
        Clamd.RequireOrSkip();
        app.RequireOrSkip();
        app.Clock.Set(DateTimeOffset.UtcNow);
        return await _s.ProviderHeldCaseAsync();
    }

    private static async Task<JsonObject> UploadedAsync(HttpClient client, string crn, byte[] bytes, string contentType, string fileName)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var response = await client.PostAsync($"/api/v1/cases/{crn}/documents?fileName={Uri.EscapeDataString(fileName)}", content, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadJsonAsync();
    }

    private static string Status(JsonObject document) => document["scanStatus"]!.GetValue<string>();

    private static async Task AssertRefusedAsync(HttpClient client, string path, string rule)
    {
        var response = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.EndsWith($"/rules/{rule}", (await response.ReadJsonAsync())["type"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>A Word document (a ZIP) carrying the EICAR file as an embedded part, as one would arrive by email.</summary>
    private static byte[] DocxWithEicar()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Part(string name, byte[] bytes)
            {
                using var part = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                part.Write(bytes);
            }

            Part("[Content_Types].xml", Encoding.UTF8.GetBytes("""<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"""));
            Part("word/document.xml", Encoding.UTF8.GetBytes("""<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Licence conditions</w:t></w:r></w:p></w:body></w:document>"""));
            Part("word/embeddings/eicar.com", Clamd.Eicar);
        }

        return buffer.ToArray();
    }

    private async Task AssertInfectedAndQuarantinedAsync(string crn, string id)
    {
        // Seen by its uploader's organisation only, with why; its bytes served to nobody.
        var holder = _s.Holder();
        var seen = (await holder.GetFromJsonAsync<JsonObject>($"/api/v1/documents/{id}", Ct))!;
        Assert.Equal("Infected", Status(seen));
        Assert.Equal(Clamd.EicarSignature, seen["scanSignature"]!.GetValue<string>());
        Assert.NotNull(seen["scannedAt"]);
        await AssertRefusedAsync(holder, $"/api/v1/documents/{id}/content", "document-infected");
        await AssertRefusedAsync(holder, $"/api/v1/documents/{id}/download", "document-infected");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(_s.ThirdOrganisation(), $"/api/v1/documents/{id}"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(_s.NamedRecipient(), $"/api/v1/documents/{id}"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(_s.NamedRecipient(), $"/api/v1/documents/{id}/content"));

        // Quarantined: the row points under quarantine/, and nothing is left under the key it was stored with.
        var key = await app.InDatabaseAsync(db => db.Documents.Where(d => d.Id == Guid.Parse(id)).Select(d => d.StorageKey).SingleAsync(Ct));
        Assert.StartsWith(Domain.Documents.Document.QuarantinePrefix, key, StringComparison.Ordinal);
        var store = app.Services.GetRequiredService<IDocumentStore>();
        Assert.True(await store.ExistsAsync(key, Ct));
        Assert.False(await store.ExistsAsync(key[Domain.Documents.Document.QuarantinePrefix.Length..key.LastIndexOf('/')], Ct));

        // An event to the uploader's organisation alone, and an entry on the ledger naming the signature.
        var events = await app.InDatabaseAsync(db => db.OutboxMessages.AsNoTracking()
            .Where(o => o.Crn == crn && o.EventType == "case-transfer.document.infected").Select(o => new { o.Audience, o.Payload }).ToListAsync(Ct));
        var infected = Assert.Single(events);
        Assert.Equal($"|{TestData.CrcGreaterManchester}|", infected.Audience);
        Assert.Contains(id, infected.Payload, StringComparison.Ordinal);
        var entries = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.ResourceType == "document" && e.ResourceId == id).Select(e => e.Summary).ToListAsync(Ct));
        Assert.Contains(entries, e => e != null && e.Contains($"scan: Infected ({Clamd.EicarSignature}), quarantined", StringComparison.Ordinal));

        // An alert for the uploader's organisation, pointing at the document; none for anyone else.
        await app.RunAlertPassAsync();
        var alerts = (await holder.GetFromJsonAsync<JsonObject>($"/api/v1/alerts?crn={crn}&kind={AlertKinds.DocumentInfected}", Ct))!["items"]!.AsArray();
        var alert = Assert.Single(alerts)!.AsObject();
        Assert.Equal(id, alert["subjectId"]!.GetValue<string>());
        Assert.Equal($"/api/v1/documents/{id}", alert["links"]!["subject"]!.GetValue<string>());
        Assert.Empty((await _s.Nps().GetFromJsonAsync<JsonObject>($"/api/v1/alerts?crn={crn}&kind={AlertKinds.DocumentInfected}", Ct))!["items"]!.AsArray());
    }

    [Fact]
    public async Task The_EICAR_file_is_infected_quarantined_and_seen_only_by_its_uploaders_organisation_with_the_signature()
    {
        var crn = await CaseAsync();
        var document = await UploadedAsync(_s.Holder(), crn, Clamd.Eicar, "text/plain", "notes.txt");
        Assert.Equal("Infected", Status(document));
        Assert.Equal(Clamd.EicarSignature, document["scanSignature"]!.GetValue<string>());
        await AssertInfectedAndQuarantinedAsync(crn, Id(document));

        // Never shared: a share that would give it is refused, naming the rule.
        var share = await _s.Holder().PostAsJsonAsync("/api/v1/shares", _s.Share(crn, documents: [Id(document)]), Ct);
        Assert.Equal(HttpStatusCode.Conflict, share.StatusCode);
        Assert.EndsWith("/rules/document-infected", (await share.ReadJsonAsync())["type"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_EICAR_file_inside_a_Word_document_is_found_infected()
    {
        var crn = await CaseAsync();
        var document = await UploadedAsync(_s.Holder(), crn, DocxWithEicar(), Domain.Documents.DocumentTypes.Docx, "licence-conditions.docx");
        Assert.Equal("Infected", Status(document));
        Assert.Equal(Clamd.EicarSignature, document["scanSignature"]!.GetValue<string>());
        await AssertInfectedAndQuarantinedAsync(crn, Id(document));
    }

    [Fact]
    public async Task A_clean_file_is_clean_and_readable_by_its_owner_and_through_a_share()
    {
        var crn = await CaseAsync();
        var document = await UploadedAsync(_s.Holder(), crn, Letter, "text/plain", "letter.txt");
        Assert.Equal("Clean", Status(document));
        Assert.Null(document["scanSignature"]);
        var id = Id(document);
        await _s.SharedAsync(crn, mode: "Copy", documents: [id]);

        var view = await _s.NamedRecipient().GetAsync($"/api/v1/documents/{id}/content", Ct);
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        Assert.Equal(Letter, await view.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(_s.Holder(), $"/api/v1/documents/{id}/download"));
    }

    [Fact]
    public async Task With_clamd_down_an_upload_is_pending_and_unreadable_until_the_retry_finds_it_clean()
    {
        var crn = await CaseAsync();
        var clamd = app.Clamd!;
        clamd.Stop();
        JsonObject document;
        try
        {
            document = await UploadedAsync(_s.Holder(), crn, Letter, "text/plain", "letter.txt");

            // Readiness reports clamd, Degraded (still 200: uploads are taken, kept Pending) while it does not answer.
            var down = await app.AnonymousClient().GetAsync("/health/ready", Ct);
            Assert.Equal(HttpStatusCode.OK, down.StatusCode);
            Assert.Equal("Degraded", await down.Content.ReadAsStringAsync(Ct));
        }
        finally
        {
            clamd.Resume();
        }

        Assert.Equal("Healthy", await (await app.AnonymousClient().GetAsync("/health/ready", Ct)).Content.ReadAsStringAsync(Ct));
        var id = Id(document);
        Assert.Equal("Pending", Status(document));
        await _s.SharedAsync(crn, mode: "Copy", documents: [id]);
        Assert.Equal("Pending", Status((await _s.NamedRecipient().GetFromJsonAsync<JsonObject>($"/api/v1/documents/{id}", Ct))!));
        await AssertRefusedAsync(_s.Holder(), $"/api/v1/documents/{id}/content", "document-not-scanned");
        await AssertRefusedAsync(_s.NamedRecipient(), $"/api/v1/documents/{id}/download", "document-not-scanned");

        // Not due yet: the background scanner leaves it alone (clamd is back, but the backoff has not passed).
        await app.RunDocumentRescanAsync();
        Assert.Equal("Pending", Status((await _s.Holder().GetFromJsonAsync<JsonObject>($"/api/v1/documents/{id}", Ct))!));

        app.Clock.Set(app.Clock.GetUtcNow().AddSeconds(31));
        Assert.True((await app.RunDocumentRescanAsync()).Clean >= 1);
        Assert.Equal("Clean", Status((await _s.Holder().GetFromJsonAsync<JsonObject>($"/api/v1/documents/{id}", Ct))!));
        var view = await _s.NamedRecipient().GetAsync($"/api/v1/documents/{id}/content", Ct);
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        Assert.Equal(Letter, await view.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task A_scan_that_still_fails_never_makes_a_document_clean_and_backs_off()
    {
        var crn = await CaseAsync();
        var clamd = app.Clamd!;
        clamd.Stop();
        try
        {
            var id = Id(await UploadedAsync(_s.Holder(), crn, Letter, "text/plain", "letter.txt"));
            app.Clock.Set(app.Clock.GetUtcNow().AddSeconds(31));
            var pass = await app.RunDocumentRescanAsync();
            Assert.Equal(0, pass.Clean);
            Assert.True(pass.Failed >= 1);
            var row = await app.InDatabaseAsync(db => db.Documents.AsNoTracking().SingleAsync(d => d.Id == Guid.Parse(id), Ct));
            Assert.Equal(Domain.Documents.ScanStatus.Pending, row.ScanStatus);
            Assert.Equal(2, row.ScanAttempts);

            // The second failure doubles the wait: 60 s from now.
            Assert.Equal(app.Clock.GetUtcNow().AddSeconds(60), row.NextScanAt!.Value, TimeSpan.FromMilliseconds(1));
            await AssertRefusedAsync(_s.Holder(), $"/api/v1/documents/{id}/content", "document-not-scanned");
        }
        finally
        {
            clamd.Resume();
        }
    }

    [Fact]
    public async Task A_pending_document_shared_then_found_infected_by_the_retry_is_gone_for_its_recipients()
    {
        var crn = await CaseAsync();
        var clamd = app.Clamd!;
        clamd.Stop();
        JsonObject document;
        try
        {
            document = await UploadedAsync(_s.Holder(), crn, Clamd.Eicar, "text/plain", "notes.txt");
        }
        finally
        {
            clamd.Resume();
        }

        var id = Id(document);
        Assert.Equal("Pending", Status(document));
        var share = await _s.SharedAsync(crn, mode: "Copy", documents: [id]);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(_s.NamedRecipient(), $"/api/v1/documents/{id}"));
        await AssertRefusedAsync(_s.NamedRecipient(), $"/api/v1/documents/{id}/content", "document-not-scanned");

        app.Clock.Set(app.Clock.GetUtcNow().AddSeconds(31));
        Assert.True((await app.RunDocumentRescanAsync()).Infected >= 1);
        await AssertInfectedAndQuarantinedAsync(crn, id);

        // The share no longer lists it for its recipients; its sharer still sees it there.
        var received = (await _s.NamedRecipient().GetFromJsonAsync<JsonObject>($"/api/v1/shares/{Id(share)}", Ct))!;
        Assert.Empty(received["documents"]!.AsArray());
        var sent = (await _s.Holder().GetFromJsonAsync<JsonObject>($"/api/v1/shares/{Id(share)}", Ct))!;
        Assert.Equal("Infected", Status(Assert.Single(sent["documents"]!.AsArray())!.AsObject()));

        // The verdict is the system's, on the ledger.
        var actors = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.ResourceId == id && e.Action == nameof(RecordDocumentScan)).Select(e => e.ActorUserId).ToListAsync(Ct));
        Assert.Equal(["system"], actors);
    }
}

public sealed class DocumentScanningTestsOnSqlite(SqliteScanningApp app) : DocumentScanningTests(app), IClassFixture<SqliteScanningApp>;

public sealed class DocumentScanningTestsOnPostgres(PostgresScanningApp app) : DocumentScanningTests(app), IClassFixture<PostgresScanningApp>;
