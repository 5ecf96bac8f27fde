using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Escalations;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CaseTransfer.Api.Tests.Sharing.SharingScenario;

namespace CaseTransfer.Api.Tests.Sharing;

/// <summary>
/// Documents given in sharing, over HTTP: uploaded and hashed, viewed inline through a read-only share but not
/// downloaded, downloaded through a copy share, gone for the recipients once the share is revoked; mistyped, oversize
/// and altered documents refused with a clear answer, leaving nothing behind.
/// </summary>
public abstract class DocumentSharingTests(EscalationClockApp app)
{
    private readonly SharingScenario _s = new(app, app.Clock);

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    private async Task<string> CaseAsync()
    {
        app.Clock.Set(DateTimeOffset.UtcNow);
        return await _s.ProviderHeldCaseAsync();
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, string crn, byte[] bytes, string contentType, string fileName = "pre-cons.pdf")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return client.PostAsync($"/api/v1/cases/{crn}/documents?fileName={Uri.EscapeDataString(fileName)}&title=Previous%20convictions", content, Ct);
    }

    private async Task<JsonObject> UploadedAsync(string crn, byte[] bytes, string contentType = "application/pdf")
    {
        var response = await UploadAsync(_s.Holder(), crn, bytes, contentType);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        Assert.True(response.Headers.Contains("Audit-Receipt"));
        return await response.ReadJsonAsync();
    }

    private Task<int> StoredFilesAsync() => app.StoredDocumentCountAsync();

    private Task<int> DocumentRowsAsync(string crn) =>
        app.InDatabaseAsync(db => db.Documents.CountAsync(d => d.Crn == Domain.Identifiers.Crn.Parse(crn), Ct));

    [Fact]
    public async Task A_read_only_share_shows_a_document_inline_and_refuses_its_download()
    {
        var crn = await CaseAsync();
        var document = await UploadedAsync(crn, Pdf);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Pdf)), document["sha256"]!.GetValue<string>());
        Assert.Equal(Pdf.Length, document["length"]!.GetValue<long>());

        // Scanning is off here (the default): stored NotScanned, and readable as before.
        Assert.Equal("NotScanned", document["scanStatus"]!.GetValue<string>());
        var id = Id(document);

        // Before it is shared, the document is its owner's alone.
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(_s.NamedRecipient(), $"/api/v1/documents/{id}"));

        var share = await _s.SharedAsync(crn, mode: "ReadOnly", documents: [id]);
        Assert.Equal(id, Id(Assert.Single(share["documents"]!.AsArray())!.AsObject()));

        var recipient = _s.NamedRecipient();
        var view = await recipient.GetAsync($"/api/v1/documents/{id}/content", Ct);
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        Assert.Equal("inline", view.Content.Headers.ContentDisposition!.DispositionType);
        Assert.True(view.Headers.CacheControl!.NoStore);
        Assert.Equal("application/pdf", view.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Pdf, await view.Content.ReadAsByteArrayAsync(Ct));

        var download = await recipient.GetAsync($"/api/v1/documents/{id}/download", Ct);
        Assert.Equal(HttpStatusCode.Conflict, download.StatusCode);
        Assert.EndsWith("/rules/share-is-read-only", (await download.ReadJsonAsync())["type"]!.GetValue<string>(), StringComparison.Ordinal);

        // A third organisation sees nothing; after revocation, neither does the recipient.
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(_s.ThirdOrganisation(), $"/api/v1/documents/{id}/content"));
        await EscalationScenario.DoneAsync(await _s.Holder().PostAsJsonAsync($"/api/v1/shares/{Id(share)}/revoke", new { reason = "done" }, Ct));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(recipient, $"/api/v1/documents/{id}"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(recipient, $"/api/v1/documents/{id}/content"));

        // The owner still reads it; the view is on the disclosure log with the share's purpose and basis.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(_s.Holder(), $"/api/v1/documents/{id}/download"));
        var log = (await _s.Holder().GetFromJsonAsync<JsonArray>($"/api/v1/cases/{crn}/disclosure-log", Ct))!.Select(e => e!.AsObject()).ToList();
        var viewed = log.Single(e => e["action"]!.GetValue<string>() == "ViewDocument" && e["actorOrganisation"]!.GetValue<string>() == TestData.CrcLondon);
        Assert.Equal("Consultation", viewed["operation"]!.GetValue<string>());
        Assert.Contains("LawEnforcementPurposes", viewed["justification"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_copy_share_lets_its_recipient_download_the_document_and_the_download_is_a_disclosure()
    {
        var crn = await CaseAsync();
        var id = Id(await UploadedAsync(crn, Pdf));
        await _s.SharedAsync(crn, mode: "Copy", documents: [id]);

        var download = await _s.OtherRecipientStaff().GetAsync($"/api/v1/documents/{id}/download", Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("pre-cons.pdf", download.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync(Ct));

        var log = (await _s.Holder().GetFromJsonAsync<JsonArray>($"/api/v1/cases/{crn}/disclosure-log", Ct))!.Select(e => e!.AsObject()).ToList();
        var copy = log.Single(e => e["action"]!.GetValue<string>() == "DownloadDocument");
        Assert.Equal("Disclosure", copy["operation"]!.GetValue<string>());
        Assert.Equal(TestData.CrcLondon, copy["recipients"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_mistyped_unknown_or_oversize_upload_is_refused_and_leaves_nothing_behind()
    {
        var crn = await CaseAsync();
        var (files, rows) = (await StoredFilesAsync(), await DocumentRowsAsync(crn));

        var mistyped = await UploadAsync(_s.Holder(), crn, Png, "application/pdf");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, mistyped.StatusCode);
        Assert.EndsWith("/rules/document-type-mismatch", (await mistyped.ReadJsonAsync())["type"]!.GetValue<string>(), StringComparison.Ordinal);

        var unknown = await UploadAsync(_s.Holder(), crn, Pdf, "application/x-msdownload", "tool.exe");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unknown.StatusCode);
        Assert.EndsWith("/rules/document-type-not-accepted", (await unknown.ReadJsonAsync())["type"]!.GetValue<string>(), StringComparison.Ordinal);

        var big = new byte[(25 * 1024 * 1024) + 1];
        Pdf.CopyTo(big, 0);
        var oversize = await UploadAsync(_s.Holder(), crn, big, "application/pdf");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversize.StatusCode);
        Assert.EndsWith("/rules/document-too-large", (await oversize.ReadJsonAsync())["type"]!.GetValue<string>(), StringComparison.Ordinal);

        // Sent without a length (chunked), an oversize body is stopped as it streams, and still leaves nothing.
        var chunked = new StreamContent(new MemoryStream(big));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{crn}/documents?fileName=big.pdf") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var streamed = await _s.Holder().SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);

        var nameless = await _s.Holder().PostAsync($"/api/v1/cases/{crn}/documents", new ByteArrayContent(Pdf) { Headers = { ContentType = new("application/pdf") } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, nameless.StatusCode);
        Assert.True((await nameless.ReadJsonAsync())["errors"]!.AsObject().ContainsKey("fileName"));

        // An organisation that never held the case cannot upload about it: 404 before a byte is read.
        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(_s.ThirdOrganisation(), crn, Pdf, "application/pdf")).StatusCode);

        Assert.Equal(files, await StoredFilesAsync());
        Assert.Equal(rows, await DocumentRowsAsync(crn));
    }

    [Fact]
    public async Task An_upload_retried_with_its_idempotency_key_is_kept_once()
    {
        var crn = await CaseAsync();
        var files = await StoredFilesAsync();
        HttpRequestMessage Upload()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{crn}/documents?fileName=pre-cons.pdf")
            {
                Content = new ByteArrayContent(Pdf) { Headers = { ContentType = new("application/pdf") } },
            };
            request.Headers.Add("Idempotency-Key", $"upload-{crn}");
            return request;
        }

        var first = await _s.Holder().SendAsync(Upload(), Ct);
        var retry = await _s.Holder().SendAsync(Upload(), Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(Id(await first.ReadJsonAsync()), Id(await retry.ReadJsonAsync()));
        Assert.Equal(1, await DocumentRowsAsync(crn));
        Assert.Equal(files + 1, await StoredFilesAsync());
    }

    [Fact]
    public async Task A_document_whose_bytes_were_altered_in_the_store_is_refused_on_read_naming_it()
    {
        var crn = await CaseAsync();
        var document = await UploadedAsync(crn, Pdf);
        var id = Id(document);
        var key = await app.InDatabaseAsync(db => db.Documents.Where(d => d.Id == Guid.Parse(id)).Select(d => d.StorageKey).SingleAsync(Ct));

        // Altered in the store itself, behind the service's back: same key, same length, one byte changed.
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var altered = (byte[])Pdf.Clone();
        altered[^3] ^= 0x20;
        await store.DeleteAsync(key, Ct);
        await store.PutAsync(key, new MemoryStream(altered), Ct);

        var read = await _s.Holder().GetAsync($"/api/v1/documents/{id}/content", Ct);
        Assert.Equal(HttpStatusCode.InternalServerError, read.StatusCode);
        var problem = await read.ReadJsonAsync();
        Assert.EndsWith("document-integrity", problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(id, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

public sealed class DocumentSharingTestsOnSqlite(SqliteEscalationClockApp app) : DocumentSharingTests(app), IClassFixture<SqliteEscalationClockApp>;

public sealed class DocumentSharingTestsOnPostgres(PostgresEscalationClockApp app) : DocumentSharingTests(app), IClassFixture<PostgresEscalationClockApp>;

/// <summary>The same, with documents kept in Azure Blob Storage (Azurite): the store a deployment that outgrows one disk plugs in.</summary>
public sealed class DocumentSharingTestsOnAzureBlob(SqliteAzureBlobClockApp app) : DocumentSharingTests(app), IClassFixture<SqliteAzureBlobClockApp>;
