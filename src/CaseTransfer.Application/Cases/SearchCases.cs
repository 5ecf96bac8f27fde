using System.Globalization;
using System.Text;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Search;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Cases;

/// <summary>
/// Forgiving search over the cases the caller may see: by CRN, PNC ID, NOMS number, date of birth, or a name with
/// typos, transpositions, phonetic spellings, and missing or swapped forenames; best first, with a score.
/// </summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Admin, Roles.PartnerSystem)]
public sealed record SearchCases(string? Q, int? Limit, string? Cursor) : IQuery<Page<CaseSearchResult>>, IConsultation
{
    /// <summary>The query text may be a name, so it is not copied into the trail; the CRNs shown are.</summary>
    public AuditFacts Consulted(object result)
    {
        var items = ((Page<CaseSearchResult>)result).Items;
        var crns = string.Join(",", items.Select(i => i.Crn));
        return new(AuditOperation.Consultation, nameof(SearchCases), null, "case-search", null, null,
            $"{items.Count} results{(items.Count > 0 ? ": " + (crns.Length > 900 ? crns[..900] + "..." : crns) : "")}");
    }

    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxQueryLength = 200;
}

public sealed record CaseSearchResult(
    string Crn,
    PersonName Name,
    DateOnly DateOfBirth,
    string? PncId,
    string? NomsNumber,
    string HolderOrganisationCode,
    double Score,
    string MatchedOn);

public sealed class SearchCasesValidator : AbstractValidator<SearchCases>
{
    public SearchCasesValidator()
    {
        RuleFor(q => q.Q).NotEmpty().WithMessage("is required")
            .MaximumLength(SearchCases.MaxQueryLength).WithMessage($"must be at most {SearchCases.MaxQueryLength} characters");
        RuleFor(q => q.Limit).InclusiveBetween(1, SearchCases.MaxLimit).WithMessage($"must be from 1 to {SearchCases.MaxLimit}");
        RuleFor(q => q.Cursor).Must(c => c is null || SearchCursor.TryDecode(c, out _)).WithMessage("is not a cursor this service issued");
    }
}

/// <summary>Search results are ranked, so the cursor is the position in the ranking.</summary>
public static class SearchCursor
{
    public static string Encode(int offset) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"o:{offset}"));

    public static bool TryDecode(string cursor, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("o:", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

public sealed class SearchCasesHandler(IAppDbContext db, CaseAccess access) : IQueryHandler<SearchCases, Page<CaseSearchResult>>
{
    /// <summary>How many name candidates the database hands over for ranking in code.</summary>
    public const int CandidateLimit = 200;

    /// <summary>Below this a name is too unlike the query to show.</summary>
    public const double MinimumNameScore = 0.5;

    private const int ExactKeyWeight = 4;
    private const int FuzzyKeyWeight = 2;

    public async ValueTask<Page<CaseSearchResult>> Handle(SearchCases query, CancellationToken cancellationToken)
    {
        var terms = SearchTerms.Parse(query.Q!);
        var visible = await access.VisibleCasesAsync(cancellationToken);
        var results = new List<CaseSearchResult>();

        if (terms.Identifiers.Count > 0)
        {
            results.AddRange(await ByIdentifierAsync(visible, terms, cancellationToken));
        }

        if (terms.DateOfBirth is { } dob)
        {
            visible = visible.Where(c => c.DateOfBirth == dob);
        }

        if (terms.NameTokens.Count > 0)
        {
            results.AddRange(await ByNameAsync(visible, terms, cancellationToken));
        }
        else if (terms.DateOfBirth is not null && terms.Identifiers.Count == 0)
        {
            var rows = await visible.AsNoTracking()
                .OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ThenBy(c => c.Crn)
                .Take(SearchCases.MaxLimit * 5)
                .Select(c => new Row(c.Crn, c.FirstName, c.MiddleNames, c.LastName, c.DateOfBirth, c.PncId, c.NomsNumber, c.HolderOrganisationCode))
                .ToListAsync(cancellationToken);
            results.AddRange(rows.Select(r => r.ToResult(1.0, "dateOfBirth")));
        }

        var ranked = results
            .GroupBy(r => r.Crn).Select(g => g.OrderByDescending(r => r.Score).First())
            .OrderByDescending(r => r.Score).ThenBy(r => r.Crn, StringComparer.Ordinal)
            .ToList();
        var limit = query.Limit ?? SearchCases.DefaultLimit;
        var offset = query.Cursor is null ? 0 : SearchCursor.TryDecode(query.Cursor, out var o) ? o : 0;
        var page = ranked.Skip(offset).Take(limit).ToList();
        return new Page<CaseSearchResult>(page, offset + limit < ranked.Count ? SearchCursor.Encode(offset + limit) : null);
    }

    private static async Task<IEnumerable<CaseSearchResult>> ByIdentifierAsync(IQueryable<Case> visible, SearchTerms terms, CancellationToken ct)
    {
        var crns = terms.Identifiers.OfType<Crn>().ToList();
        var pncs = terms.Identifiers.OfType<PncId>().ToList();
        var noms = terms.Identifiers.OfType<NomsNumber>().ToList();
        var rows = await visible.AsNoTracking()
            .Where(c => crns.Contains(c.Crn)
                || (c.PncId != null && pncs.Contains(c.PncId.Value))
                || (c.NomsNumber != null && noms.Contains(c.NomsNumber.Value)))
            .Select(c => new Row(c.Crn, c.FirstName, c.MiddleNames, c.LastName, c.DateOfBirth, c.PncId, c.NomsNumber, c.HolderOrganisationCode))
            .ToListAsync(ct);
        return rows.Select(r => r.ToResult(
            1.0,
            crns.Contains(r.Crn) ? "crn" : r.PncId is { } p && pncs.Contains(p) ? "pncId" : "nomsNumber"));
    }

    private async Task<IEnumerable<CaseSearchResult>> ByNameAsync(IQueryable<Case> visible, SearchTerms terms, CancellationToken ct)
    {
        IQueryable<Hit>? hits = null;
        for (var i = 0; i < terms.NameTokens.Count; i++)
        {
            var token = i;
            var exact = NameKeys.ForQueryToken(terms.NameTokens[i]).Where(k => k.EndsWith(':' + terms.NameTokens[token], StringComparison.Ordinal)).ToList();
            var keys = NameKeys.ForQueryToken(terms.NameTokens[i]).ToList();
            var tokenHits = db.CaseNameKeys
                .Where(k => keys.Contains(k.Key))
                .Select(k => new Hit { CaseId = k.CaseId, Token = token, Weight = exact.Contains(k.Key) ? ExactKeyWeight : FuzzyKeyWeight });
            hits = hits is null ? tokenHits : hits.Concat(tokenHits);
        }

        // Best key per query token, summed per case: cases matching every token, exactly, come first. The tie-break
        // is the CRN, so the candidate set is the same on every engine.
        var candidates = await hits!
            .GroupBy(h => new { h.CaseId, h.Token })
            .Select(g => new { g.Key.CaseId, Weight = g.Max(h => h.Weight) })
            .GroupBy(x => x.CaseId)
            .Select(g => new { CaseId = g.Key, Weight = g.Sum(x => x.Weight) })
            .Join(visible, h => h.CaseId, c => c.Id, (h, c) => new { h.Weight, c.Crn, c.Id })
            .OrderByDescending(x => x.Weight).ThenBy(x => x.Crn)
            .Take(CandidateLimit)
            .Select(x => x.Id)
            .ToListAsync(ct);

        var rows = await db.Cases.AsNoTracking()
            .Where(c => candidates.Contains(c.Id))
            .Select(c => new Row(c.Crn, c.FirstName, c.MiddleNames, c.LastName, c.DateOfBirth, c.PncId, c.NomsNumber, c.HolderOrganisationCode))
            .ToListAsync(ct);
        var queryText = string.Join(' ', terms.NameTokens);
        return rows
            .Select(r => r.ToResult(Math.Round(NameMatcher.Score(queryText, r.Forenames, r.LastName), 4), "name"))
            .Where(r => r.Score >= MinimumNameScore);
    }

    /// <summary>A member-initialised class, not a positional record: EF translates member access on it inside GROUP BY.</summary>
    private sealed class Hit
    {
        public Guid CaseId { get; init; }
        public int Token { get; init; }
        public int Weight { get; init; }
    }

    private sealed record Row(
        Crn Crn, string FirstName, string? MiddleNames, string LastName, DateOnly DateOfBirth, PncId? PncId, NomsNumber? NomsNumber, string Holder)
    {
        public string Forenames => MiddleNames is null ? FirstName : $"{FirstName} {MiddleNames}";

        public CaseSearchResult ToResult(double score, string matchedOn) => new(
            Crn.Value, new PersonName(FirstName, MiddleNames, LastName), DateOfBirth, PncId?.Value, NomsNumber?.Value, Holder, score, matchedOn);
    }
}

/// <summary>A query split into identifiers, a date of birth and name tokens.</summary>
public sealed record SearchTerms(IReadOnlyList<object> Identifiers, DateOnly? DateOfBirth, IReadOnlyList<string> NameTokens)
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy", "dd-MM-yyyy", "dd.MM.yyyy"];

    public static SearchTerms Parse(string q)
    {
        var identifiers = new List<object>();
        DateOnly? dob = null;
        var names = new List<string>();
        foreach (var raw in q.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var upper = raw.ToUpperInvariant();
            if (Crn.TryParse(upper, out var crn))
            {
                identifiers.Add(crn);
            }
            else if (PncId.TryParse(upper, out var pnc))
            {
                identifiers.Add(pnc);
            }
            else if (NomsNumber.IsValid(upper))
            {
                identifiers.Add(NomsNumber.Parse(upper));
            }
            else if (DateOnly.TryParseExact(raw, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                dob = date;
            }
            else
            {
                names.AddRange(NameText.Tokens(raw));
            }
        }

        return new SearchTerms(identifiers, dob, names);
    }
}
