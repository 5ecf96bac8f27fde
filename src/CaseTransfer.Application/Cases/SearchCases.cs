using System.Globalization;
using System.Linq.Expressions;
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
/// Forgiving search over the cases the caller may see: by CRN, PNC ID (full, without leading zeros, or with a two-digit
/// year), NOMS number, date of birth, or a name with typos, transpositions, phonetic spellings, missing or swapped
/// forenames and forename short forms (Bob for Robert), matched against the case's name and its other names (aliases,
/// known-as names); best first, with a score.
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
            .MaximumLength(SearchCases.MaxQueryLength).WithMessage($"must be at most {SearchCases.MaxQueryLength} characters")
            .Must(q => !PncId.IsMistyped(q)).WithMessage(
                "is written as a PNC ID but its check letter does not match its year and serial: check the identifier "
                + "(YYYY/NNNNNNNX, or YY/NNNNNNX, leading zeros optional)");
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

public sealed class SearchCasesHandler(IAppDbContext db, CaseAccess access, NameKeyFrequencies frequencies, CaseNameCache names) : IQueryHandler<SearchCases, Page<CaseSearchResult>>
{
    /// <summary>How many name candidates the database hands over for ranking in code.</summary>
    public const int CandidateLimit = 200;

    /// <summary>Below this a name is too unlike the query to show.</summary>
    public const double MinimumNameScore = 0.5;

    /// <summary>
    /// How many of the cases matching every token exactly are fetched and scored at most, the first by CRN: "Smith"
    /// alone matches thousands who all fit it about equally (those without a middle name a little better).
    /// </summary>
    public const int AllExactLimit = 1_000;

    /// <summary>
    /// How many key rows the candidate pool may read beyond its most selective token's; a key listing more than this is
    /// left out of the pool unless it is the token itself (a short phonetic code such as Bolleigh's, PL, lists every Paul,
    /// Powell and Bell).
    /// </summary>
    public const long PoolBudget = 2_000;

    /// <summary>
    /// Up to how many exact postings of that correctly spelled part are read in full; beyond, only the people whose
    /// other name part starts with the first or second letter of another query token (<see cref="NameKeys.PairsOfExactToken"/>),
    /// about a tenth of them. 1,500 (was 4,000 on the search-latency branch): reads of 1,500-4,000 cases, fetched and
    /// scored at 3-5 microseconds a case, were most of what remained of the slow tail; below, a garbled initial ("Geoton"
    /// for Heyton) is still found. Measured cost: two two-edit queries of 1,008 no longer found.
    /// </summary>
    public const long ExactFallbackFullRead = 1_500;

    /// <summary>
    /// From how many key rows of its most selective token a query of several tokens reads the pair postings (surname
    /// key x forename initial) instead: every part is a common name, and the people sharing one part are thousands.
    /// </summary>
    public const long PairPoolFrom = 2_000;

    /// <summary>
    /// From how many key rows of its most selective token the general pool is too slow to read when the pair postings found
    /// fewer than <see cref="CandidateLimit"/> (3 to 5 microseconds a case on SQLite, fetched and scored).
    /// </summary>
    public const long LargePool = 3_000;

    /// <summary>How many candidate ids one query reads at most (<see cref="FetchAsync"/>).</summary>
    public const int FetchChunk = 1_000;

    public async ValueTask<Page<CaseSearchResult>> Handle(SearchCases query, CancellationToken cancellationToken)
    {
        var terms = SearchTerms.Parse(query.Q!);
        var visible = await access.SearchableCasesAsync(cancellationToken);
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
                .Select(ToRow)
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
            .Select(ToRow)
            .ToListAsync(ct);
        return rows.Select(r => r.ToResult(
            1.0,
            crns.Contains(r.Crn) ? "crn" : r.PncId is { } p && pncs.Contains(p) ? "pncId" : "nomsNumber"));
    }

    private async Task<IEnumerable<CaseSearchResult>> ByNameAsync(IQueryable<Case> visible, SearchTerms terms, CancellationToken ct)
    {
        var tokens = terms.NameTokens.Select(t => new QueryToken(t)).ToList();
        var counts = await frequencies.CountsAsync(db, tokens.SelectMany(t => t.AllKeys).Distinct(StringComparer.Ordinal).ToList(), ct);
        var scorer = NameMatcher.ForQuery(string.Join(' ', terms.NameTokens));

        // A short form ("Bob Smith") takes its full names as exact ("Robert Smith") when the name itself is too rare to fill
        // the ranking: they fit the query all but as well (NameMatcher.ShortFormSimilarity).
        var allExact = await AllExactAsync(visible, tokens, counts, shortForms: false, ct);
        if (allExact is null && tokens.Any(t => t.ShortForms.Count > 0))
        {
            allExact = await AllExactAsync(visible, tokens, counts, shortForms: true, ct);
        }

        if (allExact is not null)
        {
            var ranked = await RankAsync(visible, allExact, scorer, ct);
            if (ranked.Count == CandidateLimit)
            {
                return ranked;
            }
        }

        return await RankAsync(visible, await PairPoolAsync(terms.NameTokens, tokens, counts, ct) ?? await PoolAsync(tokens, counts, ct), scorer, ct);
    }

    /// <summary>
    /// When at least <see cref="CandidateLimit"/> cases match every token exactly, they are the candidates: they fit
    /// the query better than anyone who lacks one of its parts; the first <see cref="AllExactLimit"/> visible by CRN when
    /// there are more. Found by intersecting the exact postings, starting from the rarest, which is cheap even for "John
    /// Smith". Null when there are fewer.
    /// </summary>
    private async Task<List<Guid>?> AllExactAsync(
        IQueryable<Case> visible, List<QueryToken> tokens, IReadOnlyDictionary<string, long> counts, bool shortForms, CancellationToken ct)
    {
        var ordered = tokens.Select((t, i) => (Token: t, Index: i, Exact: shortForms ? [.. t.Exact, .. t.ShortForms] : t.Exact.ToList()))
            .Select(x => (x.Token, x.Index, x.Exact, Count: x.Exact.Sum(k => counts[k])))
            .OrderBy(x => x.Count).ThenBy(x => x.Index).ToList();
        if (ordered[0].Count < CandidateLimit)
        {
            return null;
        }

        var driver = ordered[0].Exact;
        var ids = db.CaseNameKeys.Where(k => driver.Contains(k.Key)).Select(k => k.CaseId);
        foreach (var other in ordered.Skip(1))
        {
            var exact = other.Exact;
            ids = ids.Where(id => db.CaseNameKeys.Any(k => exact.Contains(k.Key) && k.CaseId == id));
        }

        var matched = await ids.Distinct().ToListAsync(ct);
        if (matched.Count < CandidateLimit)
        {
            return null;
        }

        if (matched.Count <= AllExactLimit)
        {
            return matched;
        }

        // The first visible by CRN (ordinal, as the ranking orders ties), chosen here rather than by the database (see
        // FetchAsync): the CRNs come from the name cache, so only the first of them are read, to check who may see them.
        var crns = await names.GetAsync(db, matched, ct);
        var byCrn = crns.OrderBy(c => c.Value.Crn, StringComparer.Ordinal).Select(c => c.Key).ToList();
        var first = new List<Guid>(AllExactLimit);
        var chunkSize = AllExactLimit;
        for (var at = 0; at < byCrn.Count && first.Count < AllExactLimit; at += chunkSize)
        {
            var part = byCrn.GetRange(at, Math.Min(chunkSize, byCrn.Count - at));
            var seen = (await visible.AsNoTracking()
                    .Where(c => EF.Parameter(part).Contains(c.Id))
                    .Select(c => c.Id)
                    .ToListAsync(ct))
                .ToHashSet();
            first.AddRange(part.Where(seen.Contains).Take(AllExactLimit - first.Count));
        }

        return first;
    }

    /// <summary>
    /// When every token of a query of several is common (its most selective token has <see cref="PairPoolFrom"/> key rows
    /// or more), the cases that combine a forename initial of one token with a key of another as surname
    /// (<see cref="NameKeys.PairsForQuery"/>): "Jhon Smith" reads the Smiths whose forename starts with J, not every
    /// Smith. Null when that finds fewer than <see cref="CandidateLimit"/> (a misspelled initial, a rare combination):
    /// then the general pool decides, as it would find them too.
    /// </summary>
    private async Task<List<Guid>?> PairPoolAsync(IReadOnlyList<string> nameTokens, List<QueryToken> tokens, IReadOnlyDictionary<string, long> counts, CancellationToken ct)
    {
        if (tokens.Count < 2 || tokens.Min(t => t.Keys.Sum(k => counts[k])) < PairPoolFrom)
        {
            return null;
        }

        var pairs = NameKeys.PairsForQuery(nameTokens).ToList();
        var ids = await db.CaseNameKeys.Where(k => pairs.Contains(k.Key)).Select(k => k.CaseId).Distinct().ToListAsync(ct);
        if (ids.Count >= CandidateLimit)
        {
            return ids;
        }

        // Fewer: a rare combination of common parts ("Paul Evans": a few dozen among thousands of Pauls and Evanses), or a
        // garbled initial. The general pool would read every holder of the rarer part, thousands of cases that mostly share
        // one part with the query. When it would read more than LargePool rows, read the wider pairs instead: the first two
        // letters of each token as the initial (a transposed or prefixed initial), and the people who have a correctly
        // spelled part with another part starting like another token (NameKeys.PairsOfExactToken). A forename whose
        // first letter is wrong or missing, with a surname too common to read in full, is then left to the other parts.
        if (GeneralPool(tokens, counts).FirstOrDefault().Count <= LargePool)
        {
            return null;
        }

        var wider = new HashSet<string>(NameKeys.PairsForQuery(nameTokens, 2), StringComparer.Ordinal);
        foreach (var exact in tokens.Where(t => t.Exact.Count > 0))
        {
            wider.UnionWith(PairsOfExact(exact, tokens));
        }

        var widerKeys = wider.ToList();
        var widerIds = await db.CaseNameKeys.Where(k => widerKeys.Contains(k.Key)).Select(k => k.CaseId).Distinct().ToListAsync(ct);
        return widerIds.Count == 0 ? null : widerIds;
    }

    /// <summary>The pair keys of a correctly spelled token with the start of each other token of the query (<see cref="NameKeys.PairsOfExactToken"/>).</summary>
    private static IEnumerable<string> PairsOfExact(QueryToken exact, List<QueryToken> tokens) =>
        NameKeys.PairsOfExactToken(exact.Text, tokens.Where(t => !ReferenceEquals(t, exact)).Select(t => t.Text));

    /// <summary>The query's tokens with the keys the general pool reads for each, most selective first.</summary>
    private static List<(QueryToken Token, int Index, List<string> Keys, long Count, long ExactCount)> GeneralPool(List<QueryToken> tokens, IReadOnlyDictionary<string, long> counts) =>
        tokens
            .Select((t, i) => (Token: t, Index: i, Keys: t.AllKeys.Where(k => counts[k] <= PoolBudget || t.Exact.Contains(k)).ToList()))
            .Select(x => (x.Token, x.Index, x.Keys, Count: x.Keys.Sum(k => counts[k]), ExactCount: x.Token.Exact.Sum(k => counts[k])))
            .Where(x => x.Count > 0)
            .OrderBy(x => x.Count).ThenBy(x => x.Index).ToList();

    /// <summary>
    /// The general case: the cases matching any key of the most selective token (and of any other token while the
    /// pool stays within <see cref="PoolBudget"/> key rows). Cases that match none of the pool's tokens are not
    /// candidates: they lack the query's rarest part, and reading the postings of common parts ("John", and every key
    /// of its Double Metaphone code) is what made the search slow.
    /// </summary>
    private async Task<List<Guid>> PoolAsync(List<QueryToken> tokens, IReadOnlyDictionary<string, long> counts, CancellationToken ct)
    {
        // A short form's full names are usually too common to read whole ("Danny Oliver": every Daniel): the people who
        // have one of them with another part starting like another token of the query, as for a correctly spelled part.
        var shortFormPairs = tokens.Count < 2
            ? []
            : tokens.SelectMany(t => t.ShortFormNames.SelectMany(name => NameKeys.PairsOfExactToken(name, tokens.Where(o => !ReferenceEquals(o, t)).Select(o => o.Text))))
                .ToHashSet(StringComparer.Ordinal);
        var ordered = GeneralPool(tokens, counts);
        if (ordered.Count == 0)
        {
            if (shortFormPairs.Count == 0)
            {
                return [];
            }

            var pairKeys = shortFormPairs.ToList();
            return await db.CaseNameKeys.Where(k => pairKeys.Contains(k.Key)).Select(k => k.CaseId).Distinct().ToListAsync(ct);
        }

        // Only one token found anyone, and it is a correctly spelled common part ("John Tohmds": the other is garbled
        // beyond its keys): the people who have it with another part starting like the garbled token, not all of them.
        if (tokens.Count > 1 && ordered.Count == 1 && ordered[0].ExactCount > ExactFallbackFullRead)
        {
            var only = ordered[0];
            var narrowed = new HashSet<string>(only.Keys.Where(k => !only.Token.Exact.Contains(k)), StringComparer.Ordinal);
            narrowed.UnionWith(PairsOfExact(only.Token, tokens));
            narrowed.UnionWith(shortFormPairs);
            var narrowedKeys = narrowed.ToList();
            return await db.CaseNameKeys.Where(k => narrowedKeys.Contains(k.Key)).Select(k => k.CaseId).Distinct().ToListAsync(ct);
        }

        var poolKeys = new HashSet<string>(ordered[0].Keys, StringComparer.Ordinal);
        var rowsRead = ordered[0].Count;
        var anyExact = ordered[0].ExactCount > 0;
        foreach (var next in ordered.Skip(1))
        {
            if (rowsRead + next.Count > PoolBudget)
            {
                break;
            }

            poolKeys.UnionWith(next.Keys);
            rowsRead += next.Count;
            anyExact |= next.ExactCount > 0;
        }

        // When the selective tokens are unknown spellings that found few people ("Clalu Turner": two edits leave no key
        // of Callum), also take the people who have the rarest part that is spelled exactly, as the scorer shows such
        // people (a surname alone is a fair match), unless that part is so common that reading it is the slow search.
        // When that part has more postings than ExactFallbackFullRead (a forename of middling frequency), only those of them
        // whose other name part starts like another token of the query (NameKeys.PairsOfExactToken): "Callum Trunre"
        // reads the Callums with a T surname. Reading every Callum made the slowest tenth of all searches.
        if (!anyExact && rowsRead < PoolBudget && ordered.Where(x => x.ExactCount > 0).OrderBy(x => x.ExactCount).ThenBy(x => x.Index).FirstOrDefault() is { Token: { } exactToken, ExactCount: var exactCount })
        {
            poolKeys.UnionWith(exactCount <= ExactFallbackFullRead
                ? exactToken.Exact
                : PairsOfExact(exactToken, tokens));
        }

        poolKeys.UnionWith(shortFormPairs);
        var keys = poolKeys.ToList();
        return await db.CaseNameKeys.Where(k => keys.Contains(k.Key)).Select(k => k.CaseId).Distinct().ToListAsync(ct);
    }

    /// <summary>
    /// The visible candidates scored against the query, best first, then by CRN; at most <see cref="CandidateLimit"/>.
    /// Each distinct name part is compared with the query once (<see cref="NameMatcher.QueryScorer"/>), so a pool of
    /// thousands sharing a few hundred forenames and surnames is cheap to rank.
    /// </summary>
    /// <remarks>
    /// Candidates are scored and ordered on their CRN and names from <see cref="CaseNameCache"/> (they never change), then
    /// read through the caller's visibility filter in that order until <see cref="CandidateLimit"/> are found: the same
    /// answer as reading every visible candidate, scoring and keeping the best, without reading thousands of wide rows.
    /// </remarks>
    private async Task<List<CaseSearchResult>> RankAsync(IQueryable<Case> visible, List<Guid> candidates, NameMatcher.QueryScorer scorer, CancellationToken ct)
    {
        // Rounded so that the order does not depend on floating-point noise, and the score shown is the one ranked by. A
        // case is scored by the best of its names: the main one, or an other name (an alias, a known-as name).
        var otherNames = await OtherNamesAsync(candidates, ct);
        var ordered = (await names.GetAsync(db, candidates, ct))
            .Select(c =>
            {
                var score = Math.Round(scorer.Score(c.Value.Forenames, c.Value.LastName), 4);
                var matchedOn = "name";
                foreach (var (forenames, lastName) in otherNames.GetValueOrDefault(c.Key) ?? [])
                {
                    var other = Math.Round(scorer.Score(forenames, lastName), 4);
                    if (other > score)
                    {
                        (score, matchedOn) = (other, "otherName");
                    }
                }

                return (Id: c.Key, c.Value.Crn, Score: score, MatchedOn: matchedOn);
            })
            .Where(x => x.Score >= MinimumNameScore)
            .OrderByDescending(x => x.Score).ThenBy(x => x.Crn, StringComparer.Ordinal)
            .ToList();
        var results = new List<CaseSearchResult>(Math.Min(CandidateLimit, ordered.Count));
        var chunkSize = CandidateLimit;
        for (var at = 0; at < ordered.Count && results.Count < CandidateLimit; at += chunkSize, chunkSize = Math.Min(chunkSize * 2, FetchChunk))
        {
            var part = ordered.GetRange(at, Math.Min(chunkSize, ordered.Count - at));
            var rows = (await FetchAsync(visible, [.. part.Select(x => x.Id)], ct)).ToDictionary(r => r.Crn.Value, StringComparer.Ordinal);
            foreach (var x in part)
            {
                if (results.Count < CandidateLimit && rows.TryGetValue(x.Crn, out var row))
                {
                    results.Add(row.ToResult(x.Score, x.MatchedOn));
                }
            }
        }

        return results;
    }

    /// <summary>
    /// The other names of the candidates that carry any, by case id. Read on every search rather than kept with the
    /// names in <see cref="CaseNameCache"/>: other names are added to cases, and another instance of the service may
    /// have added one a moment ago. One probe of the case id index per candidate, in chunks of <see cref="FetchChunk"/>.
    /// </summary>
    private async Task<Dictionary<Guid, List<(string Forenames, string LastName)>>> OtherNamesAsync(List<Guid> candidates, CancellationToken ct)
    {
        var found = new Dictionary<Guid, List<(string Forenames, string LastName)>>();
        foreach (var chunk in candidates.Chunk(FetchChunk))
        {
            var ids = chunk.ToList();
            var rows = await db.CaseOtherNames.AsNoTracking()
                .Where(o => EF.Parameter(ids).Contains(o.CaseId))
                .Select(o => new { o.CaseId, o.FirstName, o.MiddleNames, o.LastName })
                .ToListAsync(ct);
            foreach (var row in rows)
            {
                if (!found.TryGetValue(row.CaseId, out var list))
                {
                    found[row.CaseId] = list = [];
                }

                list.Add((row.MiddleNames is null ? row.FirstName : $"{row.FirstName} {row.MiddleNames}", row.LastName));
            }
        }

        return found;
    }

    /// <summary>
    /// The visible cases among the candidates, with what a result shows. The ids go to the database as one parameter
    /// rather than as a join: both engines then probe Cases by key, where a join let PostgreSQL misjudge the postings and
    /// scan every case. At most <see cref="FetchChunk"/> ids a query: from about 2,500 PostgreSQL estimates a scan of all
    /// 250,000 cases cheaper than probing the key, and takes 50 ms or more where the probes take a few.
    /// </summary>
    private static async Task<List<Row>> FetchAsync(IQueryable<Case> visible, List<Guid> candidates, CancellationToken ct)
    {
        var rows = new List<Row>(candidates.Count);
        foreach (var chunk in candidates.Chunk(FetchChunk))
        {
            var ids = chunk.ToList();
            rows.AddRange(await visible.AsNoTracking()
                .Where(c => EF.Parameter(ids).Contains(c.Id))
                .Select(ToRow)
                .ToListAsync(ct));
        }

        return rows;
    }

    /// <summary>A query token's search keys, and those of them that are the token itself.</summary>
    private sealed class QueryToken
    {
        public QueryToken(string token)
        {
            Text = token;
            Keys = NameKeys.ForQueryToken(token);
            Exact = Keys.Where(k => k.EndsWith(':' + token, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
            ShortForms = NameKeys.ShortFormKeysForQueryToken(token).Where(k => !Keys.Contains(k)).ToHashSet(StringComparer.Ordinal);
            ShortFormNames = Domain.Search.ShortForms.Of(token);
        }

        /// <summary>The names that are short forms of the token or whose short form it is ("robert", "rob", "bobby" for "bob").</summary>
        public IReadOnlyList<string> ShortFormNames { get; }

        public string Text { get; }

        public IReadOnlySet<string> Keys { get; }

        public HashSet<string> Exact { get; }

        /// <summary>The keys of the token's short forms and full names ("t:robert" for "bob"): as good as exact, for a forename.</summary>
        public HashSet<string> ShortForms { get; }

        public IEnumerable<string> AllKeys => Keys.Concat(ShortForms);
    }

    private static readonly Expression<Func<Case, Row>> ToRow =
        c => new Row(c.Crn, c.FirstName, c.MiddleNames, c.LastName, c.DateOfBirth, c.PncId, c.NomsNumber, c.HolderOrganisationCode);

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
            else if (PncId.SearchForms(upper) is { Count: > 0 } pncs)
            {
                identifiers.AddRange(pncs.Cast<object>());
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
