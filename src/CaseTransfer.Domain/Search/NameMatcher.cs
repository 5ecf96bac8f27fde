using F23.StringSimilarity;

namespace CaseTransfer.Domain.Search;

/// <summary>
/// Scores how well a typed query fits a person's recorded name, for ranking the candidates that
/// <see cref="NameKeys"/> found. Deterministic and culture-independent.
/// </summary>
/// <remarks>
/// Each query token is paired with at most one name token (the pairing with the best overall score is chosen
/// by exhaustive search, which is cheap for names of a handful of tokens). The score is how well the paired tokens
/// are spelled times how much of the name the query covers, with weights per name token where the surname carries
/// the most:
/// <code>
/// spelling = Σ matched w·similarity / (Σ matched w + penalty × unmatched query tokens)
/// coverage = (Σ matched w + Σ unmatched w·credit) / Σ w
/// score    = spelling × coverage
/// </code>
/// Unmatched forenames earn partial credit because people search without them ("Smith", "J Smith");
/// an unmatched surname earns none; a query token that fits nothing lowers the spelling. Kept apart, the two factors
/// make an unmentioned middle name lower the score even when a part is misspelled (as one weighted average, an extra
/// well-credited part raised it: "John Bvans" fitted John Elliot Evans better than John Evans).
/// A query that names a middle name and not the first forename ("Paul Smith" for John Paul Smith, someone known by
/// a middle name) counts the first forename as any other unmentioned forename, then loses a little, so people known by
/// their first forename rank just ahead and both rank above a different surname.
/// An assignment out of the recorded order ("Smith John") loses a little, so exact order ranks first.
/// </remarks>
public static class NameMatcher
{
    // Weights per recorded name token. The surname identifies a person far better than a forename,
    // and middle names are rarely typed.
    private const double SurnameWeight = 1.0;
    private const double FirstForenameWeight = 0.6;
    private const double OtherForenameWeight = 0.25;

    // Credit for a recorded token the query did not mention.
    private const double MissingFirstForenameCredit = 0.75;
    private const double MissingOtherForenameCredit = 0.9;
    private const double MissingSurnamePartCredit = 0.5; // only while another part of the surname matched

    // What a query token that matches nothing adds to the denominator.
    private const double UnmatchedQueryTokenPenalty = 0.8;

    private const double OutOfOrderFactor = 0.98;
    private const double KnownByMiddleNameFactor = 0.99;

    // Token similarities below this are not treated as a match at all.
    private const double MinTokenSimilarity = 0.55;

    // A non-identical spelling never scores as high as an identical one.
    private const double MaxInexactSimilarity = 0.97;
    private const double PhoneticPrimarySimilarity = 0.92;
    private const double PhoneticAlternateSimilarity = 0.8;
    private const double PhoneticDissimilarSpellingBoost = 0.15;
    private const double PrefixSimilarity = 0.8;
    private const int MinPrefixLength = 3;
    private const double InitialOfForenameSimilarity = 0.85;
    private const double InitialOfSurnameSimilarity = 0.6;

    // A forename's short form from the reviewed list (Bob for Robert, Mike for Michael, ShortForms): a little below the
    // forename itself, so an exact forename ranks first, and above any one-edit or phonetic spelling of another name
    // (Mike Phillips finds Michael Phillips before Phillip McKee).
    public const double ShortFormSimilarity = 0.93;

    // A single edit in a token of this many letters or more scores at least 1 - OneEditLoss / length: 0.93 at five
    // letters, above a phonetic-only match (0.92); 0.956 at eight, still below someone known by a middle name (0.977).
    private const int MinOneEditLength = 4;
    private const double OneEditLoss = 0.35;

    // Ranking can afford a precise code; the short search-key code would equate Richards and Richardson.
    private const int PhoneticCodeLength = 12;

    // Bounds the exhaustive pairing; real names and queries are far shorter.
    private const int MaxQueryTokens = 6;
    private const int MaxForenameTokens = 4;
    private const int MaxSurnameTokens = 3;

    private static readonly JaroWinkler JaroWinkler = new();
    private static readonly Damerau Damerau = new();

    /// <summary>Returns 0..1, where 1 means the query is exactly the recorded name in the recorded order.</summary>
    public static double Score(string query, string forenames, string surname) => ForQuery(query).Score(forenames, surname);

    /// <summary>
    /// A scorer for one query, for ranking many names against it: each distinct name part is compared with the query
    /// once, which matters when thousands of candidates share a few hundred forenames and surnames.
    /// Not thread-safe; one per search.
    /// </summary>
    public static QueryScorer ForQuery(string query) => new([.. NameText.Tokens(query).Take(MaxQueryTokens).Select(t => new Token(t))]);

    /// <summary>Scores names against one query; see <see cref="ForQuery"/>.</summary>
    public sealed class QueryScorer
    {
        // Bounds the memo of whole names; a pool is a few thousand names, many of them shared.
        private const int MaxRemembered = 50_000;

        private readonly Token[] _query;
        private readonly Dictionary<(string Text, bool Surname), double[]> _similarities = [];
        private readonly Dictionary<(string Forenames, string Surname), double> _scores = [];

        internal QueryScorer(Token[] query) => _query = query;

        /// <summary>
        /// Returns 0..1, as <see cref="NameMatcher.Score"/>. A name scored before is not scored again: a pool of
        /// thousands of cases holds far fewer distinct names ("John Smith" many times over).
        /// </summary>
        public double Score(string forenames, string surname)
        {
            if (_scores.TryGetValue((forenames, surname), out var remembered))
            {
                return remembered;
            }

            var score = Compute(forenames, surname);
            if (_scores.Count < MaxRemembered)
            {
                _scores[(forenames, surname)] = score;
            }

            return score;
        }

        private double Compute(string forenames, string surname)
        {
            var nameTokens = NameTokens(forenames, surname);
            if (_query.Length == 0 || nameTokens.Length == 0)
            {
                return 0;
            }

            var similarity = new double[_query.Length][];
            for (var q = 0; q < _query.Length; q++)
            {
                similarity[q] = new double[nameTokens.Length];
            }

            for (var n = 0; n < nameTokens.Length; n++)
            {
                var perQuery = SimilaritiesTo(nameTokens[n]);
                for (var q = 0; q < _query.Length; q++)
                {
                    similarity[q][n] = perQuery[q];
                }
            }

            return new AssignmentSearch(similarity, nameTokens).Best();
        }

        private double[] SimilaritiesTo(NameToken name)
        {
            // The role matters only for initials, so a part is compared once as a forename and once as a surname.
            var key = (name.Text, name.Role == NameRole.Surname);
            if (!_similarities.TryGetValue(key, out var perQuery))
            {
                perQuery = [.. _query.Select(q => TokenSimilarity(q, name))];
                _similarities[key] = perQuery;
            }

            return perQuery;
        }
    }

    private static NameToken[] NameTokens(string forenames, string surname)
    {
        var tokens = new List<NameToken>();
        var forenameTokens = NameText.Tokens(forenames);
        for (var i = 0; i < forenameTokens.Count && i < MaxForenameTokens; i++)
        {
            tokens.Add(new NameToken(forenameTokens[i], i == 0 ? NameRole.FirstForename : NameRole.OtherForename));
        }

        foreach (var token in NameText.Tokens(surname).Take(MaxSurnameTokens))
        {
            tokens.Add(new NameToken(token, NameRole.Surname));
        }

        return [.. tokens];
    }

    private static double TokenSimilarity(Token query, NameToken name)
    {
        var q = query.Text;
        var n = name.Text;
        if (string.Equals(q, n, StringComparison.Ordinal))
        {
            return 1;
        }

        if (q.Length == 1 || n.Length == 1)
        {
            // An initial on either side stands for any name starting with it.
            if (q[0] != n[0])
            {
                return 0;
            }

            return name.Role == NameRole.Surname ? InitialOfSurnameSimilarity : InitialOfForenameSimilarity;
        }

        var jaroWinkler = JaroWinkler.Similarity(q, n);
        var distance = Damerau.Distance(q, n);
        var longer = Math.Max(q.Length, n.Length);
        var damerau = 1 - (distance / longer);
        var similarity = (jaroWinkler + damerau) / 2;

        // One edit (a letter wrong, missing, added, or two swapped) is the commonest typo, wherever it falls: Jaro-Winkler
        // punishes it at the start ("oler" for Holer), so it would rank below a spelling that only sounds alike and is
        // further off ("Wiler"). Floored at least as high as a phonetic match from five letters on.
        if (distance <= 1 && longer >= MinOneEditLength)
        {
            similarity = Math.Max(similarity, 1 - (OneEditLoss / longer));
        }

        // "Chris" for "Christopher", "Alex" for "Alexandra".
        if (Math.Min(q.Length, n.Length) >= MinPrefixLength
            && (n.StartsWith(q, StringComparison.Ordinal) || q.StartsWith(n, StringComparison.Ordinal)))
        {
            similarity = Math.Max(similarity, PrefixSimilarity);
        }

        var phonetic = PhoneticSimilarity(query, name);
        if (phonetic > 0)
        {
            // Sounding alike is strong evidence when the spellings are also close (Smyth/Smith, Stephen/Steven),
            // but vowel-initial codes equate spellings as far apart as Aaron and Irene, so those only get a nudge.
            similarity = similarity >= MinTokenSimilarity
                ? Math.Max(similarity, phonetic)
                : similarity + PhoneticDissimilarSpellingBoost;
        }

        similarity = Math.Min(similarity, MaxInexactSimilarity);
        return name.Role != NameRole.Surname && ShortForms.AreShortForms(q, n) ? Math.Max(similarity, ShortFormSimilarity) : similarity;
    }

    private static double PhoneticSimilarity(Token query, NameToken name)
    {
        var (qp, qa) = query.Codes;
        var (np, na) = name.Codes;
        if (qp.Length == 0 || np.Length == 0)
        {
            return 0;
        }

        if (string.Equals(qp, np, StringComparison.Ordinal))
        {
            return PhoneticPrimarySimilarity;
        }

        return string.Equals(qp, na, StringComparison.Ordinal)
               || string.Equals(qa, np, StringComparison.Ordinal)
               || (qa.Length > 0 && string.Equals(qa, na, StringComparison.Ordinal))
            ? PhoneticAlternateSimilarity
            : 0;
    }

    private enum NameRole
    {
        FirstForename,
        OtherForename,
        Surname,
    }

    internal sealed class Token(string text)
    {
        private (string Primary, string Alternate)? _codes;

        public string Text { get; } = text;

        public (string Primary, string Alternate) Codes => _codes ??= Phonetic.DoubleMetaphone(Text, PhoneticCodeLength);
    }

    private sealed class NameToken(string text, NameRole role)
    {
        private (string Primary, string Alternate)? _codes;

        public string Text { get; } = text;

        public NameRole Role { get; } = role;

        public (string Primary, string Alternate) Codes => _codes ??= Phonetic.DoubleMetaphone(Text, PhoneticCodeLength);
    }

    /// <summary>Tries every pairing of query tokens with distinct name tokens and keeps the best score.</summary>
    private sealed class AssignmentSearch
    {
        private readonly double[][] _similarity;
        private readonly NameToken[] _name;
        private readonly int _surnameParts;
        private readonly int[] _assignedQuery; // per name token: the query token paired with it, or -1
        private readonly int[] _assignedName; // per query token: the name token paired with it, or -1
        private double _best;

        public AssignmentSearch(double[][] similarity, NameToken[] name)
        {
            _similarity = similarity;
            _name = name;

            _surnameParts = name.Count(t => t.Role == NameRole.Surname);
            _assignedQuery = [.. Enumerable.Repeat(-1, name.Length)];
            _assignedName = [.. Enumerable.Repeat(-1, similarity.Length)];
        }

        public double Best()
        {
            _best = 0;
            Search(0, 0);
            return _best;
        }

        private void Search(int query, int unmatched)
        {
            if (query == _similarity.Length)
            {
                _best = Math.Max(_best, Evaluate(unmatched));
                return;
            }

            for (var n = 0; n < _name.Length; n++)
            {
                if (_assignedQuery[n] >= 0 || _similarity[query][n] < MinTokenSimilarity)
                {
                    continue;
                }

                _assignedQuery[n] = query;
                _assignedName[query] = n;
                Search(query + 1, unmatched);
                _assignedQuery[n] = -1;
                _assignedName[query] = -1;
            }

            Search(query + 1, unmatched + 1);
        }

        private double Evaluate(int unmatched)
        {
            // Credit for forenames the query left out must not make a query that fits nothing score above zero.
            if (unmatched == _similarity.Length)
            {
                return 0;
            }

            var anySurnameMatched = false;
            var otherForenameMatched = false;
            var firstForenameMatched = false;
            for (var n = 0; n < _name.Length; n++)
            {
                var matched = _assignedQuery[n] >= 0;
                anySurnameMatched |= _name[n].Role == NameRole.Surname && matched;
                otherForenameMatched |= _name[n].Role == NameRole.OtherForename && matched;
                firstForenameMatched |= _name[n].Role == NameRole.FirstForename && matched;
            }

            var knownByMiddleName = otherForenameMatched && !firstForenameMatched;

            // The sums run in the same order, so an exact match divides equal sums and gives exactly 1.
            var spelled = 0.0;
            var matchedWeight = 0.0;
            var credited = 0.0;
            var totalWeight = 0.0;
            for (var n = 0; n < _name.Length; n++)
            {
                var q = _assignedQuery[n];
                var role = _name[n].Role == NameRole.FirstForename && knownByMiddleName ? NameRole.OtherForename : _name[n].Role;
                var weight = Weight(role, matched: q >= 0);
                totalWeight += weight;
                if (q >= 0)
                {
                    spelled += weight * _similarity[q][n];
                    matchedWeight += weight;
                    credited += weight;
                }
                else
                {
                    credited += weight * MissingCredit(role, anySurnameMatched);
                }
            }

            var spelling = spelled / (matchedWeight + (UnmatchedQueryTokenPenalty * unmatched));
            var score = spelling * (credited / totalWeight);
            if (knownByMiddleName)
            {
                score *= KnownByMiddleNameFactor;
            }

            return InRecordedOrder() ? score : score * OutOfOrderFactor;
        }

        private bool InRecordedOrder()
        {
            var previous = -1;
            foreach (var n in _assignedName)
            {
                if (n < 0)
                {
                    continue;
                }

                if (n < previous)
                {
                    return false;
                }

                previous = n;
            }

            return true;
        }

        private double Weight(NameRole role, bool matched) => role switch
        {
            // Several surname parts (Smith-Jones) share the surname's weight, so they do not outweigh the forename.
            NameRole.Surname => SurnameWeight / _surnameParts,

            // A middle name the query does mention is the name the person goes by, so it counts as a first name.
            NameRole.OtherForename when !matched => OtherForenameWeight,
            _ => FirstForenameWeight,
        };

        private double MissingCredit(NameRole role, bool anySurnameMatched) => role switch
        {
            NameRole.FirstForename => MissingFirstForenameCredit,
            NameRole.OtherForename => MissingOtherForenameCredit,
            _ => anySurnameMatched && _surnameParts > 1 ? MissingSurnamePartCredit : 0,
        };
    }
}
