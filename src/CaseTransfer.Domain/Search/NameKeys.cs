namespace CaseTransfer.Domain.Search;

/// <summary>
/// Search keys for forgiving name lookup. A case stores <see cref="ForName"/>; a query looks up
/// <see cref="ForQueryToken"/> per token. Two tokens share a key when they are equal, within one edit
/// (insertion, deletion, substitution or adjacent transposition), or sound alike under Double Metaphone.
/// </summary>
/// <remarks>
/// Key kinds, all at most <see cref="MaxKeyLength"/> characters:
/// <list type="bullet">
/// <item><c>t:</c> the token itself and, for tokens of <see cref="MinDeletionLength"/> letters or more, every
/// single-letter deletion of it (symmetric delete: "smyth" and "smith" both yield "smth", "jon" is "john" minus h).
/// Shorter tokens get no deletions because their deletions ("jo", "an") would match a large share of all names.</item>
/// <item><c>p:</c> Double Metaphone primary and alternate codes of tokens of two letters or more, at
/// <see cref="Phonetic.DefaultMaxLength"/>, which also catches many two-edit spellings (Catherine/Kathryn).</item>
/// <item><c>i:</c> the first letter of every stored token, looked up only by single-letter query tokens, so that
/// "J Smith" counts its "J" as matched for John Smith and the database ranks him above other Smiths.</item>
/// <item><c>x</c> pair keys: <c>x</c>, the initial of a forename, then a <c>t:</c> or <c>p:</c> key of a surname part
/// ("xjt:smith", "xjp:SM0" for John Smith, and "xpt:smith" too for John Paul Smith). When every part of a query is a
/// common name, the people who fit it are the few who combine a surname key with a forename initial, and these postings
/// list exactly them: a bounded read for "Jhon Smith", where the postings of "smith" alone list thousands.</item>
/// <item><c>w</c> forename pair keys: <c>w</c>, the initial of a surname part, then the <c>t:</c> key of a forename
/// itself ("wst:john" for John Smith). The mirror of the <c>x</c> keys for when the surname is the garbled part:
/// "Callum Trunre" reads the Callums whose surname starts with T rather than every Callum.</item>
/// </list>
/// </remarks>
public static class NameKeys
{
    public const int MaxKeyLength = 40;

    public const int MinDeletionLength = 4;

    private const string TextPrefix = "t:";
    private const string PhoneticPrefix = "p:";
    private const string InitialPrefix = "i:";
    private const string PairPrefix = "x";
    private const string ForenamePairPrefix = "w";

    // A longer token is cut so its keys fit MaxKeyLength; no real name part comes near this.
    private const int MaxTokenLength = MaxKeyLength - 2;

    /// <summary>The keys stored for one name token.</summary>
    public static IReadOnlySet<string> ForToken(string normalisedToken)
    {
        var token = Prepare(normalisedToken);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (token.Length == 0)
        {
            return keys;
        }

        AddTextAndPhonetic(keys, token);
        keys.Add(InitialPrefix + token[0]);
        return keys;
    }

    /// <summary>
    /// The keys to look up for one query token. A single letter is treated as an initial.
    /// </summary>
    public static IReadOnlySet<string> ForQueryToken(string normalisedToken)
    {
        var token = Prepare(normalisedToken);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (token.Length == 0)
        {
            return keys;
        }

        if (token.Length == 1)
        {
            // Matches stored initials ("J" typed for "John") and names recorded as an initial only.
            keys.Add(TextPrefix + token);
            keys.Add(InitialPrefix + token);
            return keys;
        }

        AddTextAndPhonetic(keys, token);
        return keys;
    }

    /// <summary>
    /// The keys stored for a person: the union over every forename token and surname token, and the pair keys of each
    /// forename initial with each surname part.
    /// </summary>
    public static IReadOnlySet<string> ForName(string forenames, string surname)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var forenameTokens = NameText.Tokens(forenames);
        var surnameTokens = NameText.Tokens(surname);
        foreach (var token in forenameTokens.Concat(surnameTokens))
        {
            keys.UnionWith(ForToken(token));
        }

        foreach (var initial in forenameTokens.Select(t => Prepare(t)).Where(t => t.Length > 0).Select(t => t[0]).Distinct())
        {
            foreach (var token in surnameTokens)
            {
                keys.UnionWith(Pairs(initial, ForToken(token)));
            }
        }

        foreach (var initial in surnameTokens.Select(t => Prepare(t)).Where(t => t.Length > 0).Select(t => t[0]).Distinct())
        {
            foreach (var token in forenameTokens.Select(t => Prepare(t)).Where(t => t.Length > 0))
            {
                keys.Add(Cut(string.Concat(ForenamePairPrefix, initial.ToString(), TextPrefix, token)));
            }
        }

        return keys;
    }

    /// <summary>
    /// The keys of the names that are short forms of a query token, or whose short form it is (<see cref="ShortForms"/>):
    /// the token keys of the names themselves, "t:robert", "t:rob", "t:bobby" for "bob". Stored names need no key of
    /// their own: a nickname's key is the full name's key, so a database written before the list finds them too.
    /// </summary>
    public static IReadOnlySet<string> ShortFormKeysForQueryToken(string normalisedToken)
    {
        var token = Prepare(normalisedToken);
        return ShortForms.Of(token).Select(f => Cut(TextPrefix + f)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The pair keys to look up for a query of two or more tokens: each token's initial (and the initials of its short
    /// forms' full names, <see cref="ShortForms"/>) as a forename's, with every key of each other token as a surname's, in
    /// both orders ("Smith John" too). Empty for a single token.
    /// </summary>
    public static IReadOnlySet<string> PairsForQuery(IReadOnlyList<string> normalisedTokens) => PairsForQuery(normalisedTokens, 1);

    /// <summary>
    /// As <see cref="PairsForQuery(IReadOnlyList{string})"/>, taking each token's first <paramref name="initials"/> letters
    /// as the forename initial: with two, "Amrk Williams" (a transposed initial) or "Xpaul Evans" (a letter put in front)
    /// also give the pairs of M and P forenames.
    /// </summary>
    public static IReadOnlySet<string> PairsForQuery(IReadOnlyList<string> normalisedTokens, int initials)
    {
        ArgumentNullException.ThrowIfNull(normalisedTokens);
        var tokens = normalisedTokens.Select(Prepare).Where(t => t.Length > 0).ToList();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var forename = 0; forename < tokens.Count; forename++)
        {
            for (var surname = 0; surname < tokens.Count; surname++)
            {
                if (forename != surname)
                {
                    var surnameKeys = ForQueryToken(tokens[surname]);

                    // A short form's full names as forenames too: "Bob Heathbrook" reads the R Heathbrooks (Robert).
                    foreach (var initial in tokens[forename].Take(initials).Concat(ShortForms.Of(tokens[forename]).Select(f => f[0])).Distinct())
                    {
                        keys.UnionWith(Pairs(initial, surnameKeys));
                    }
                }
            }
        }

        return keys;
    }

    /// <summary>
    /// The pair keys that list the people who have <paramref name="exactToken"/> itself as a surname part with a forename
    /// starting with the first or second letter of one of <paramref name="otherTokens"/>, or as a forename with a surname
    /// part starting so: "Callum Trunre" gives "wtt:callum", "wrt:callum" (and the same with "x"), "Clalu Turner" gives
    /// "xct:turner", "xlt:turner" (and the same with "w").
    /// A bounded read of the people who have a correctly spelled part when the others are unknown spellings.
    /// </summary>
    public static IReadOnlySet<string> PairsOfExactToken(string exactToken, IEnumerable<string> otherTokens)
    {
        ArgumentNullException.ThrowIfNull(otherTokens);
        var token = Prepare(exactToken);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (token.Length == 0)
        {
            return keys;
        }

        // The first two letters of each other token, not just the first: a garbled part often has its first two letters
        // swapped or a letter put in front ("ikngsstond" for Kingsstone, "acrtbrook" for Cartbrook).
        foreach (var initial in otherTokens.Select(t => Prepare(t)).SelectMany(t => t.Take(2)).Distinct())
        {
            keys.Add(Cut(string.Concat(PairPrefix, initial.ToString(), TextPrefix, token)));
            keys.Add(Cut(string.Concat(ForenamePairPrefix, initial.ToString(), TextPrefix, token)));
        }

        return keys;
    }

    /// <summary>Whether a key is a forename pair key (<c>w</c>, <see cref="PairsOfExactToken"/>).</summary>
    public static bool IsForenamePair(string key) => key.StartsWith(ForenamePairPrefix, StringComparison.Ordinal);

    /// <summary>The first and last possible forename pair key, for finding whether a database holds any.</summary>
    public static (string From, string To) ForenamePairRange { get; } = (ForenamePairPrefix, PairPrefix);

    /// <summary>Whether a key is a pair key (<see cref="PairsForQuery"/>), whose postings are not counted.</summary>
    public static bool IsPair(string key) => key.StartsWith(PairPrefix, StringComparison.Ordinal);

    /// <summary>The first and last possible pair key, for finding whether a database holds any.</summary>
    public static (string From, string To) PairRange { get; } = (PairPrefix, "y");

    private static IEnumerable<string> Pairs(char initial, IEnumerable<string> surnameKeys) =>
        surnameKeys.Where(k => !k.StartsWith(InitialPrefix, StringComparison.Ordinal))
            .Select(k => string.Concat(PairPrefix, initial.ToString(), k))
            .Select(Cut);

    private static string Cut(string key) => key.Length > MaxKeyLength ? key[..MaxKeyLength] : key;

    private static string Prepare(string token)
    {
        ArgumentNullException.ThrowIfNull(token);

        // Callers should pass NameText tokens already; normalising again is idempotent and keeps keys consistent.
        var normalised = NameText.Normalise(token);
        return normalised.Length > MaxTokenLength ? normalised[..MaxTokenLength] : normalised;
    }

    private static void AddTextAndPhonetic(HashSet<string> keys, string token)
    {
        keys.Add(TextPrefix + token);
        if (token.Length >= MinDeletionLength)
        {
            for (var i = 0; i < token.Length; i++)
            {
                keys.Add(string.Concat(TextPrefix, token.AsSpan(0, i), token.AsSpan(i + 1)));
            }
        }

        if (token.Length >= 2)
        {
            var (primary, alternate) = Phonetic.DoubleMetaphone(token);
            if (primary.Length > 0)
            {
                keys.Add(PhoneticPrefix + primary);
            }

            if (alternate.Length > 0)
            {
                keys.Add(PhoneticPrefix + alternate);
            }
        }
    }
}
