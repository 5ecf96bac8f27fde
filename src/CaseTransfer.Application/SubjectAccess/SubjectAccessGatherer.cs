using System.Security.Cryptography;
using System.Text.Json;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Documents;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.SubjectAccess;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Application.SubjectAccess;

/// <summary>Renders a bundle as a PDF for the person (PDFsharp, in the infrastructure).</summary>
public interface ISubjectAccessPdf
{
    byte[] Render(SubjectAccessBundle bundle);
}

/// <summary>
/// Works subject access requests: claims a queued one, gathers each section of the bundle page by page (saving the
/// progress, which also extends the claim), stores the JSON and the PDF in the document store with their SHA-256,
/// and marks the request ready until its bundle expires; the cleanup then deletes expired bundles from the store.
/// A claim is the request's version: of two workers (or instances) claiming one request, one has it; a worker whose
/// claim was taken over (its lease ran out) fails on its next save and stops. Gathering only reads, so a request
/// taken up again is simply gathered again from the start.
/// </summary>
public sealed class SubjectAccessGatherer(
    IAppDbContext db, IDocumentStore store, ISubjectAccessPdf pdf, SubjectAccessOptions options, TimeProvider clock, ILogger<SubjectAccessGatherer> logger)
{
    private IAppDbContext Db => db;

    private SubjectAccessOptions Options => options;

    private TimeProvider Clock => clock;

    public static readonly IReadOnlyList<string> Sections =
    [
        "caseRecord", "names", "riskAssessments", "tiers", "holdings", "allocations", "escalations", "disputes",
        "informationRequests", "shares", "documents", "victimConditions", "disclosureLog",
    ];

    /// <summary>The requests a worker may take up now, oldest first.</summary>
    public async Task<IReadOnlyList<Guid>> ClaimableIdsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await db.SubjectAccessRequests.AsNoTracking()
            .Where(r => r.State == SubjectAccessState.Queued || (r.State == SubjectAccessState.Gathering && r.LeaseUntil <= now))
            .OrderBy(r => r.RequestedAt)
            .Select(r => r.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Claims the request for this worker; false when it is not claimable or another worker claimed it first.</summary>
    public async Task<bool> ClaimAsync(Guid id, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        try
        {
            var request = await db.SubjectAccessRequests.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
            var now = clock.GetUtcNow();
            if (request is null || !request.IsClaimable(now))
            {
                return false;
            }

            request.Claim(now, now + options.Lease);
            await db.SaveChangesAsync(cancellationToken);
            return request.State == SubjectAccessState.Gathering;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Gathers a claimed request to its end (true: ready), or stops after <paramref name="maxPages"/> pages with the
    /// progress saved (false), as a worker that died would leave it. False too when another worker took it over.
    /// </summary>
    public async Task<bool> GatherAsync(Guid id, int maxPages = int.MaxValue, CancellationToken cancellationToken = default)
    {
        db.ChangeTracker.Clear();
        var request = await db.SubjectAccessRequests.SingleAsync(r => r.Id == id, cancellationToken);
        if (request.State != SubjectAccessState.Gathering)
        {
            return request.State == SubjectAccessState.Ready;
        }

        try
        {
            var run = new Run(this, request, maxPages);
            var bundle = await run.GatherAsync(cancellationToken);
            if (bundle is null)
            {
                return false;
            }

            var json = JsonSerializer.SerializeToUtf8Bytes(bundle, AppJson.Options);
            var pdfBytes = pdf.Render(bundle);
            var jsonFile = await StoreAsync($"subject-access/{id:N}/bundle-json", json, cancellationToken);
            var pdfFile = await StoreAsync($"subject-access/{id:N}/bundle-pdf", pdfBytes, cancellationToken);
            request.Complete(jsonFile, pdfFile, clock.GetUtcNow(), options.Retention);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Subject access request {RequestId} ready: {Records} records", id, request.Progress.Sum(p => p.Total));
            return true;
        }
        catch (StoppedException)
        {
            return false;
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogWarning("Subject access request {RequestId} was taken over by another worker; this one stops", id);
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// After a failure that is not a lost claim: the request is taken up again after <see cref="SubjectAccessOptions.RetryDelay"/>
    /// times its attempts so far, or fails on its last attempt (<see cref="SubjectAccessRequest.RetryLater"/>).
    /// </summary>
    public async Task RetryLaterAsync(Guid id, string why, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var request = await db.SubjectAccessRequests.SingleAsync(r => r.Id == id, cancellationToken);
        if (request.State == SubjectAccessState.Gathering)
        {
            var now = clock.GetUtcNow();
            request.RetryLater(why, now, now + (options.RetryDelay * request.Attempts));
            await db.SaveChangesAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
    }

    /// <summary>Deletes the files of every expired bundle from the store; returns how many bundles were deleted.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expired = await db.SubjectAccessRequests
            .Where(r => r.State == SubjectAccessState.Ready && r.BundleDeletedAt == null && r.ExpiresAt <= now)
            .ToListAsync(cancellationToken);
        foreach (var request in expired)
        {
            await store.DeleteAsync(request.JsonKey!, cancellationToken);
            await store.DeleteAsync(request.PdfKey!, cancellationToken);
            request.BundleDeleted(now);
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return expired.Count;
    }

    private async Task<SubjectAccessBundleFile> StoreAsync(string key, byte[] bytes, CancellationToken cancellationToken)
    {
        // A key left by an earlier attempt at this request (its worker died after storing) is this request's own: replace it.
        await store.DeleteAsync(key, cancellationToken);
        await using (var content = new MemoryStream(bytes, writable: false))
        {
            await store.PutAsync(key, content, cancellationToken);
        }

        return new SubjectAccessBundleFile(key, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
    }

    /// <summary>One gathering of one request: its totals, its pages, its withheld counts.</summary>
    private sealed class Run(SubjectAccessGatherer owner, SubjectAccessRequest request, int maxPages)
    {
        private readonly IAppDbContext _db = owner.Db;
        private readonly ThirdPartyData _withheld = new();
        private readonly Dictionary<string, (int Gathered, int Total)> _progress = [];
        private int _pages;

        private DateTimeOffset? Start => request.Period.Start;

        private DateTimeOffset? End => request.Period.End;

        public async Task<SubjectAccessBundle?> GatherAsync(CancellationToken ct)
        {
            var caseId = request.CaseId;
            var crn = (Crn?)Crn.Parse(request.Crn);
            var (start, end) = (Start, End);

            // Totals first, so progress reads as "so many of so many" from the first page.
            var names = _db.CaseOtherNames.AsNoTracking().Where(n => n.CaseId == caseId && (start == null || n.RecordedAt >= start) && (end == null || n.RecordedAt < end));
            var risks = _db.RiskAssessments.AsNoTracking().Where(r => r.CaseId == caseId && (start == null || r.RecordedAt >= start) && (end == null || r.RecordedAt < end));
            var tiers = _db.CaseTiers.AsNoTracking().Where(t => t.CaseId == caseId && (start == null || t.ComputedAt >= start) && (end == null || t.ComputedAt < end));
            var holdings = _db.CaseHoldings.AsNoTracking().Where(h => h.CaseId == caseId && (end == null || h.From < end) && (start == null || h.To == null || h.To >= start));
            var allocations = _db.Allocations.AsNoTracking().Where(a => a.CaseId == caseId && (start == null || a.ProposedAt >= start) && (end == null || a.ProposedAt < end));
            var escalations = _db.Escalations.AsNoTracking().Where(e => e.CaseId == caseId && (start == null || e.RequestedAt >= start) && (end == null || e.RequestedAt < end));
            var disputes = _db.Disputes.AsNoTracking().Where(d => d.CaseId == caseId && (start == null || d.RaisedAt >= start) && (end == null || d.RaisedAt < end));
            var requests = _db.InformationRequests.AsNoTracking().Where(r => r.CaseId == caseId && (start == null || r.RequestedAt >= start) && (end == null || r.RequestedAt < end));
            var shares = _db.Shares.AsNoTracking().Where(s => s.CaseId == caseId && (start == null || s.SharedAt >= start) && (end == null || s.SharedAt < end));
            var documents = _db.Documents.AsNoTracking().Where(d => d.CaseId == caseId && (start == null || d.UploadedAt >= start) && (end == null || d.UploadedAt < end));
            var conditions = _db.VictimConditions.AsNoTracking().Where(v => v.CaseId == caseId && (start == null || v.RecordedAt >= start) && (end == null || v.RecordedAt < end));
            var disclosures = DisclosureLog.Entries(_db, crn).Where(e => (start == null || e.OccurredAt >= start) && (end == null || e.OccurredAt < end));

            _progress["caseRecord"] = (0, 1);
            _progress["names"] = (0, await names.CountAsync(ct));
            _progress["riskAssessments"] = (0, await risks.CountAsync(ct));
            _progress["tiers"] = (0, await tiers.CountAsync(ct));
            _progress["holdings"] = (0, await holdings.CountAsync(ct));
            _progress["allocations"] = (0, await allocations.CountAsync(ct));
            _progress["escalations"] = (0, await escalations.CountAsync(ct));
            _progress["disputes"] = (0, await disputes.CountAsync(ct));
            _progress["informationRequests"] = (0, await requests.CountAsync(ct));
            _progress["shares"] = (0, await shares.CountAsync(ct));
            _progress["documents"] = (0, await documents.CountAsync(ct));
            _progress["victimConditions"] = (0, await conditions.CountAsync(ct));
            _progress["disclosureLog"] = (0, await disclosures.CountAsync(ct));
            await SaveProgressAsync(ct);

            var theCase = await _db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId, ct);
            var allHoldings = await _db.CaseHoldings.AsNoTracking().Where(h => h.CaseId == caseId).OrderBy(h => h.From).ToListAsync(ct);
            string HolderAt(DateTimeOffset at) =>
                allHoldings.LastOrDefault(h => h.From <= at)?.OrganisationCode ?? theCase.HolderOrganisationCode;
            if (!await PageDoneAsync("caseRecord", 1, ct))
            {
                return null;
            }

            var subject = new BundleSubject(theCase.Crn.Value, theCase.FirstName, theCase.MiddleNames, theCase.LastName, theCase.DateOfBirth, theCase.PncId?.Value, theCase.NomsNumber?.Value);
            var s = theCase.Sentence;
            var caseRecord = new BundleCaseRecord(
                theCase.AreaCode, theCase.HolderOrganisationCode, theCase.HeldSince, theCase.Tier, s.Type, s.SentenceDate, s.StartDate, s.ExpectedEndDate,
                s.ReleaseDate, s.LicenceEndDate, theCase.CreatedAt, theCase.UpdatedAt);

            var bundleNames = await PagesAsync("names", names.OrderBy(n => n.RecordedAt).ThenBy(n => n.Id), n => new BundleName(
                n.Kind, n.FirstName, n.MiddleNames, n.LastName, n.RecordedAt, _withheld.Staff("member of staff", HolderAt(n.RecordedAt))), ct);
            var bundleRisks = await PagesAsync("riskAssessments", risks.OrderBy(r => r.RecordedAt).ThenBy(r => r.Id), r => new BundleRiskAssessment(
                r.Facts.AssessedOn, r.Facts.Rosh, r.Facts.RsrPercent, r.Facts.OgrsPercent, r.Facts.MappaCategory, r.Facts.MappaLevel, r.Facts.Tier,
                r.Facts.Flags.ToString(), r.RecordedAt, _withheld.Staff("assessor", r.RecordedByOrganisation)), ct);
            var bundleTiers = await PagesAsync("tiers", tiers.OrderBy(t => t.ComputedAt).ThenBy(t => t.Id), t => new BundleTier(
                t.Tier, t.ProtectPoints, t.ChangePoints, t.RulesetVersion, t.ComputedAt), ct);
            var bundleHoldings = await PagesAsync("holdings", holdings.OrderBy(h => h.From).ThenBy(h => h.Id), h => new BundleHolding(
                h.OrganisationCode, h.From, h.To, h.Reason, _withheld.StaffOrNull(h.ResponsibleOfficerId?.ToString(), "responsible officer", h.OrganisationCode)), ct);
            var bundleAllocations = await PagesAsync("allocations", allocations.OrderBy(a => a.ProposedAt).ThenBy(a => a.Id), a => new BundleAllocation(
                a.Id, a.FromOrganisationCode, a.ToOrganisationCode, a.Reason, a.ReasonText, a.RulesOrganisationCode, a.RulesetVersion, a.IsOverride,
                a.OverrideJustification, _withheld.Staff("allocator", a.FromOrganisationCode), a.ProposedAt,
                _withheld.StaffOrNull(a.ApprovedBy, "manager", a.FromOrganisationCode), a.State,
                _withheld.StaffOrNull(a.DecidedBy, "receiving staff", a.ToOrganisationCode), a.DecidedAt, a.RejectionReason, a.DecisionText), ct);
            var bundleEscalations = await PagesAsync("escalations", escalations.OrderBy(e => e.RequestedAt).ThenBy(e => e.Id), e => new BundleEscalation(
                e.Id, e.ProviderCode, e.NpsRegionCode, e.Reason, e.ReasonText, e.Urgency, _withheld.Staff("offender manager", e.ProviderCode), e.RequestedAt,
                e.State, _withheld.StaffOrNull(e.DecidedBy, "escalation decider", e.NpsRegionCode), e.DecidedAt, e.AcceptanceReason, e.DeclineReason, e.DecisionText), ct);
            var bundleDisputes = await PagesAsync("disputes", disputes.Include(d => d.Statements).OrderBy(d => d.RaisedAt).ThenBy(d => d.Id), d => new BundleDispute(
                d.Id, d.SubjectKind, _withheld.Staff("manager", d.RaisedByOrganisationCode), d.RaisedAt, d.Grounds, d.Stage, d.Outcome, d.OutcomeText,
                _withheld.StaffOrNull(d.ResolvedBy, "manager", $"{d.NpsOrganisationCode} or {d.ProviderCode}"), d.ResolvedAt,
                [.. d.Statements.OrderBy(t => t.Sequence).Select(t => new BundleDisputeStatement(t.Stage, _withheld.Staff("manager", t.AuthorOrganisationCode), t.Text, t.At))]), ct);
            var bundleRequests = await PagesAsync("informationRequests", requests.OrderBy(r => r.RequestedAt).ThenBy(r => r.Id), r => new BundleInformationRequest(
                r.Id, _withheld.Staff("information officer", r.RequesterOrganisationCode), r.AddresseeOrganisationCode, r.Type, r.OtherType, r.Purpose,
                r.LawfulBasis, r.RequestedAt, r.State, r.AnsweredAt, r.RefusalReason), ct);
            var bundleShares = await PagesAsync("shares", shares.OrderBy(x => x.SharedAt).ThenBy(x => x.Id), x => new BundleShare(
                x.Id, _withheld.Staff("information officer", x.SharerOrganisationCode), x.RecipientOrganisationCode, x.Type, x.OtherType, x.Purpose,
                x.LawfulBasis, x.Mode, x.SharedAt, x.ExpiresAt, x.RevokedAt, x.Content), ct);
            var bundleDocuments = await PagesAsync("documents", documents.OrderBy(d => d.UploadedAt).ThenBy(d => d.Id), d =>
            {
                _withheld.Withhold(ThirdPartyData.DocumentContents);
                return new BundleDocument(d.Id, d.OwnerOrganisationCode, _withheld.Staff("member of staff", d.OwnerOrganisationCode), d.UploadedAt, d.FileName, d.Title,
                    d.ContentType, d.Length, d.Sha256);
            }, ct);
            var bundleConditions = await PagesAsync("victimConditions", conditions.OrderBy(v => v.RecordedAt).ThenBy(v => v.Id), v => new BundleVictimCondition(
                v.Kind, v.Description, v.Place, v.StartsOn, v.EndsOn, v.RecordedAt, v.EndedAt), ct);

            // Victims' details are never read: only counted, so the bundle can say they were withheld.
            var victims = await _db.VictimDetails.AsNoTracking()
                .CountAsync(v => v.CaseId == caseId && (start == null || v.RecordedAt >= start) && (end == null || v.RecordedAt < end), ct);
            if (victims > 0)
            {
                _withheld.Withhold(ThirdPartyData.VictimDetails, victims);
            }

            // The disclosure log can run to many thousands of entries: pages by the ledger's sequence, not by offset.
            var log = new List<BundleDisclosure>();
            long after = 0;
            while (_progress["disclosureLog"].Gathered < _progress["disclosureLog"].Total)
            {
                var page = await disclosures.Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(owner.Options.PageSize)
                    .Select(e => new { e.Sequence, e.OccurredAt, e.Operation, e.Action, e.ActorOrganisation, e.ResourceType, e.Justification, e.Recipients })
                    .ToListAsync(ct);
                if (page.Count == 0)
                {
                    break;
                }

                after = page[^1].Sequence;
                log.AddRange(page.Select(e => new BundleDisclosure(
                    e.OccurredAt, e.Operation, e.Action, _withheld.Staff("member of staff", e.ActorOrganisation), e.ResourceType, e.Justification, _withheld.Recipients(e.Recipients))));
                if (!await PageDoneAsync("disclosureLog", page.Count, ct))
                {
                    return null;
                }
            }

            // Entries written since the count (this request's own reads) wait for the next request: the total stands.
            _progress["disclosureLog"] = (_progress["disclosureLog"].Total, _progress["disclosureLog"].Total);
            await SaveProgressAsync(ct);

            return new SubjectAccessBundle(
                request.Id, request.Reference, owner.Clock.GetUtcNow(), request.From, request.To, subject, caseRecord,
                bundleNames, bundleRisks, bundleTiers, bundleHoldings, bundleAllocations, bundleEscalations, bundleDisputes,
                bundleRequests, bundleShares, bundleDocuments, bundleConditions, log, _withheld.Summary());
        }

        /// <summary>Every record of one section, a page at a time (offset paging in a stable order), progress saved after each page.</summary>
        private async Task<List<TView>> PagesAsync<T, TView>(string section, IQueryable<T> ordered, Func<T, TView> view, CancellationToken ct)
        {
            var items = new List<TView>();
            var total = _progress[section].Total;
            while (items.Count < total)
            {
                var page = await ordered.Skip(items.Count).Take(owner.Options.PageSize).ToListAsync(ct);
                if (page.Count == 0)
                {
                    break;
                }

                items.AddRange(page.Select(view));
                if (!await PageDoneAsync(section, page.Count, ct))
                {
                    throw new StoppedException();
                }
            }

            _progress[section] = (total, total);
            return items;
        }

        /// <summary>Counts a page and saves the progress; false when the run is to stop here (<c>maxPages</c>).</summary>
        private async Task<bool> PageDoneAsync(string section, int count, CancellationToken ct)
        {
            var (gathered, total) = _progress[section];
            _progress[section] = (Math.Min(total, gathered + count), total);
            await SaveProgressAsync(ct);
            return ++_pages < maxPages;
        }

        private async Task SaveProgressAsync(CancellationToken ct)
        {
            var now = owner.Clock.GetUtcNow();
            request.ReportProgress([.. Sections.Where(_progress.ContainsKey).Select(s => new SubjectAccessSectionProgress(s, _progress[s].Gathered, _progress[s].Total))], now + owner.Options.Lease);
            await _db.SaveChangesAsync(ct);
        }
    }

    private sealed class StoppedException : Exception;
}
