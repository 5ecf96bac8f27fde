using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Api.Tests.Webhooks;
using CaseTransfer.Application.Common;
using CaseTransfer.Client;
using CaseTransfer.Client.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using WebhookReceiver;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Clients;

/// <summary>
/// The C# client partners generate from the committed contract (clients/CaseTransfer.Client, Kiota) drives the
/// service over a real socket: one allocation from proposal to the provider holding the case, and one webhook
/// subscription from creation to a delivered, signed event and its switching off. Runs once per engine.
/// </summary>
public abstract class KiotaClientTests(KiotaApp app)
{
    private const string RiskRecorded = "case-transfer.risk-assessment.recorded";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CaseTransferClient NpsAllocator() => app.KiotaClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    private CaseTransferClient ProviderCaseManager() => app.KiotaClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager);

    private CaseTransferClient NpsAdmin() => app.KiotaClientFor(NpsNorthWest, "nps-nw-admin", Roles.Admin);

    private static Date Day(int year, int month, int day) => new(year, month, day);

    /// <summary>A case NPS North West opens in Greater Manchester, assessed at medium risk: the rules send it to CRC-CGM.</summary>
    private static async Task<string> OpenAssessedCaseAsync(CaseTransferClient nps)
    {
        var crn = NewCrn();
        var opened = await nps.Api.V1.Cases.PostAsync(
            new CreateCase
            {
                Crn = crn,
                FirstName = "John",
                LastName = "Smith",
                DateOfBirth = Day(1985, 3, 14),
                PncId = "2012/0052494Q",
                NomsNumber = "A1234BC",
                AreaCode = "GMAN",
                Sentence = new SentenceInput
                {
                    Type = SentenceType.DeterminateCustody,
                    SentenceDate = Day(2025, 1, 10),
                    StartDate = Day(2025, 1, 10),
                    ExpectedEndDate = Day(2030, 1, 10),
                    ReleaseDate = Day(2029, 6, 1),
                    LicenceEndDate = Day(2030, 1, 10),
                },
                Requirements = [],
            },
            cancellationToken: Ct);
        Assert.Equal(crn, opened!.Crn);
        await RecordRiskAsync(nps, crn);
        return crn;
    }

    private static Task<RecordedRiskAssessment?> RecordRiskAsync(CaseTransferClient client, string crn) =>
        client.Api.V1.Cases[crn].RiskAssessments.PostAsync(
            new RiskAssessmentInput
            {
                AssessedOn = Day(2025, 2, 1),
                RiskOfSeriousHarm = RoshLevel.Medium,
                RsrPercent = 3.2,
                OgrsPercent = 41,
                MappaCategory = MappaCategory.None,
                MappaLevel = MappaLevel.None,
                Tier = "B2",
                Flags = [RiskFlag.DomesticAbuse],
            },
            cancellationToken: Ct);

    [Fact]
    public async Task The_generated_client_drives_an_allocation_from_preview_to_the_provider_holding_the_case()
    {
        var nps = NpsAllocator();
        var crn = await OpenAssessedCaseAsync(nps);

        // The allocator previews what the rules decide, then proposes it; the proposal carries an Idempotency-Key, so
        // a retry (a partner's timeout, say) gets the same allocation back rather than a second one.
        var preview = await nps.Api.V1.Allocations.Preview.PostAsync(new PreviewAllocation { Crn = crn }, cancellationToken: Ct);
        Assert.Equal(AllocationOutcome.AllocateToProvider, preview!.Decision!.Outcome);
        Assert.Equal(CrcGreaterManchester, preview.Decision.ReceivingOrganisationCode);

        var key = Guid.NewGuid().ToString();
        var proposal = new ProposeAllocation { Crn = crn, ToOrganisation = CrcGreaterManchester, Reason = AllocationReason.NewSentence };
        var proposed = await nps.Api.V1.Allocations.PostAsync(proposal, c => c.Headers.Add("Idempotency-Key", key), Ct);
        var retried = await nps.Api.V1.Allocations.PostAsync(proposal, c => c.Headers.Add("Idempotency-Key", key), Ct);
        Assert.Equal(AllocationState.Proposed, proposed!.State);
        Assert.Equal(proposed.Id, retried!.Id);
        var id = proposed.Id!.Value;

        // The provider's case manager reads the proposal, keeping its ETag (Kiota's headers inspection option), and
        // accepts it naming Tom Riley, on that ETag.
        var provider = ProviderCaseManager();
        var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        var seen = await provider.Api.V1.Allocations[id].GetAsync(c => c.Options.Add(headers), Ct);
        Assert.Equal(crn, seen!.Case!.Crn);
        var etag = Assert.Single(headers.ResponseHeaders["ETag"]);

        var accepted = await provider.Api.V1.Allocations[id].Accept.PostAsync(
            new AcceptAllocationRequest { ResponsibleOfficerId = TomRileyCrcCgm },
            c =>
            {
                c.Headers.Add("If-Match", etag);
                c.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            },
            Ct);
        Assert.Equal(AllocationState.Accepted, accepted!.State);
        Assert.Equal(TomRileyCrcCgm, accepted.ResponsibleOfficerId);

        // The case is the provider's now, with the officer it named; the NPS no longer reads it.
        var held = await provider.Api.V1.Cases[crn].GetAsync(cancellationToken: Ct);
        Assert.Equal(CrcGreaterManchester, held!.Holder!.Code);
        Assert.Equal(TomRileyCrcCgm, held.ResponsibleOfficer!.Id);
        var gone = await Assert.ThrowsAsync<ProblemDetails>(() => nps.Api.V1.Cases[crn].GetAsync(cancellationToken: Ct));
        Assert.Equal(404, gone.ResponseStatusCode);

        // A refusal reaches the client as the contract's problem details, typed: the same acceptance on the old ETag.
        var stale = await Assert.ThrowsAnyAsync<ApiException>(() => provider.Api.V1.Allocations[id].Accept.PostAsync(
            new AcceptAllocationRequest { ResponsibleOfficerId = TomRileyCrcCgm }, c => c.Headers.Add("If-Match", etag), Ct));
        Assert.Contains(stale.ResponseStatusCode, new[] { 409, 412 });
        var type = stale switch
        {
            ProblemDetails p => p.Type,
            CapacityRuleProblemDetails p => p.Type,
            _ => null,
        };
        Assert.False(string.IsNullOrEmpty(type), $"a {stale.ResponseStatusCode} without a problem type ({stale.GetType().Name})");
    }

    [Fact]
    public async Task The_generated_client_drives_a_webhook_subscription_from_creation_to_a_delivered_event_and_off()
    {
        var admin = NpsAdmin();
        await using var receiver = await RunningReceiver.StartAsync();

        // An organisation admin subscribes the receiver to risk assessments; the secret is shown this once.
        var created = await admin.Api.V1.Subscriptions.PostAsync(
            new CreateSubscription { CallbackUrl = receiver.CallbackUrl, EventTypes = [RiskRecorded], Description = "Partner case system (Kiota client)" },
            c => c.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString()),
            Ct);
        var id = created!.Id!.Value;
        Assert.True(created.Enabled);
        Assert.StartsWith("whsec_", created.Secret, StringComparison.Ordinal);
        receiver.Receiver.Signatures = new SignatureCheck([created.Secret!]);
        receiver.OnStopping = () => app.InDatabaseAsync(db => db.WebhookSubscriptions.Where(s => s.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Enabled, false), CancellationToken.None));
        Assert.Null((await admin.Api.V1.Subscriptions[id].GetAsync(cancellationToken: Ct))!.Secret);

        // Something happens on a case NPS North West holds: the dispatcher delivers it, signed, to the receiver.
        var nps = NpsAllocator();
        var crn = await OpenAssessedCaseAsync(nps);
        var delivered = await DispatchUntilAsync(() => receiver.Receiver.Received.Where(r => r.Crn == crn).ToList(), r => r.Count >= 1);
        var @event = Assert.Single(delivered);
        Assert.Equal(RiskRecorded, @event.EventType);
        Assert.Equal(0, receiver.Receiver.BadSignatures);

        // Listed, without its secret; then switched off, after which nothing more reaches the receiver.
        var listed = await admin.Api.V1.Subscriptions.GetAsync(cancellationToken: Ct);
        var mine = Assert.Single(listed!, s => s.Id == id);
        Assert.Equal(receiver.CallbackUrl, mine.CallbackUrl);
        Assert.All(listed!, s => Assert.Null(s.Secret));

        var disabled = await admin.Api.V1.Subscriptions[id].Disable.PostAsync(c => c.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString()), Ct);
        Assert.False(disabled!.Enabled);
        Assert.False((await admin.Api.V1.Subscriptions[id].GetAsync(cancellationToken: Ct))!.Enabled);

        await RecordRiskAsync(nps, crn);
        for (var i = 0; i < 3; i++)
        {
            await app.RunWebhookPassAsync();
        }

        Assert.Single(receiver.Receiver.Received, r => r.Crn == crn);
    }

    /// <summary>
    /// The one binary body of the contract: Kiota sends an upload as text/plain (of the many media types the contract
    /// accepts, the one it treats as structured), so the caller names the real one; the download is a stream.
    /// </summary>
    [Fact]
    public async Task The_generated_client_uploads_a_document_with_its_media_type_and_downloads_it_as_a_stream()
    {
        var nps = NpsAllocator();
        var crn = await OpenAssessedCaseAsync(nps);
        var pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

        // Left to the generated code, the PDF goes up declared as text/plain, and is kept as what it was declared.
        var mislabelled = await nps.Api.V1.Cases[crn].Documents.PostAsync(new MemoryStream(pdf), c => c.QueryParameters.FileName = "as-text.pdf", Ct);
        Assert.Equal("text/plain", mislabelled!.ContentType);

        var uploaded = await nps.Api.V1.Cases[crn].Documents.PostAsync(
            new MemoryStream(pdf),
            c =>
            {
                c.QueryParameters.FileName = "pre-cons.pdf";
                c.Headers.Add("Content-Type", "application/pdf");
            },
            Ct);
        Assert.Equal("application/pdf", uploaded!.ContentType);

        await using var download = await nps.Api.V1.Documents[uploaded.Id!.Value].Download.GetAsync(cancellationToken: Ct);
        using var copy = new MemoryStream();
        await download!.CopyToAsync(copy, Ct);
        Assert.Equal(pdf, copy.ToArray());
    }

    /// <summary>Runs dispatcher passes (as the background service would) until <paramref name="done"/> holds of what <paramref name="read"/> finds.</summary>
    private async Task<T> DispatchUntilAsync<T>(Func<T> read, Func<T, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            await app.RunWebhookPassAsync();
            var value = read();
            if (done(value) || DateTimeOffset.UtcNow > deadline)
            {
                Assert.True(done(value), "not delivered within a minute of dispatcher passes");
                return value;
            }

            await Task.Delay(100, Ct);
        }
    }
}

public sealed class KiotaClientTestsOnSqlite(SqliteKiotaApp app) : KiotaClientTests(app), IClassFixture<SqliteKiotaApp>;

public sealed class KiotaClientTestsOnPostgres(PostgresKiotaApp app) : KiotaClientTests(app), IClassFixture<PostgresKiotaApp>;
