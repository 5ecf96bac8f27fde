using System.Text;

namespace CaseTransfer.Domain.Search;

/// <summary>The ways <see cref="Misspellings"/> can garble a name into a realistic search query.</summary>
public enum MisspellingKind
{
    /// <summary>One letter of the forename or surname replaced by another letter: a slip on the keyboard.</summary>
    Substitution,

    /// <summary>One letter left out ("Jonatan").</summary>
    Deletion,

    /// <summary>One stray letter added ("Smiith").</summary>
    Insertion,

    /// <summary>Two neighbouring letters swapped ("Jhon").</summary>
    Transposition,

    /// <summary>
    /// Two of the edits above in the same name part when it has at least five letters; otherwise one edit
    /// in the forename and one in the surname, since two edits in "Lee" leave nothing recognisable.
    /// </summary>
    TwoEdits,

    /// <summary>
    /// A spelling that sounds the same, as when a name is taken down over the phone: ph/f/v, c/k, y/i, ie/y,
    /// th/t, doubled or single consonants, -son/-sen, mps/ms and similar; failing those, one vowel for another.
    /// </summary>
    PhoneticVariant,

    /// <summary>Surname first, as on many forms ("Smith John").</summary>
    SwappedOrder,

    /// <summary>Surname first with a comma, plus one single-letter edit ("Smtih, John").</summary>
    SwappedWithTypo,

    /// <summary>
    /// The first forename left out: someone known by a middle name ("Paul Smith" for John Paul Smith).
    /// For a person with a single forename this leaves the surname alone, which is inherently ambiguous
    /// among everyone sharing that surname.
    /// </summary>
    MissingForename,

    /// <summary>Only the initial of the first forename, with or without a full stop ("J Smith", "J. Smith").</summary>
    InitialOnly,
}

/// <summary>
/// Deterministic (for a given <see cref="Random"/> seed) generator of misspelled name queries, for measuring
/// search quality in tests and benchmarks.
/// </summary>
public static class Misspellings
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyz";
    private const string Vowels = "aeiou";
    private const string DoublingConsonants = "lnrtpmsdf";
    private const int MinLengthForTwoEditsInOnePart = 5;

    private static readonly (string From, string To)[] SoundAlikes =
    [
        ("ph", "f"), ("f", "ph"), ("ph", "v"), ("v", "ph"),
        ("ck", "k"), ("ca", "ka"), ("co", "ko"), ("cl", "kl"), ("cr", "kr"), ("ka", "ca"), ("k", "c"),
        ("y", "i"), ("i", "y"), ("ie", "y"), ("ey", "y"), ("y", "ie"), ("ei", "ie"), ("ie", "ei"),
        ("th", "t"), ("mps", "ms"), ("ms", "mps"), ("son", "sen"), ("sen", "son"),
        ("ou", "ow"), ("ow", "ou"), ("ai", "ay"), ("ay", "ai"), ("ee", "ea"), ("ea", "ee"),
        ("x", "ks"), ("ks", "x"), ("qu", "kw"), ("z", "s"), ("our", "or"), ("ine", "yn"), ("yn", "ine"),
    ];

    public static IReadOnlyList<MisspellingKind> Kinds { get; } = Enum.GetValues<MisspellingKind>();

    /// <summary>One query of every <see cref="MisspellingKind"/> for the person.</summary>
    public static IEnumerable<(MisspellingKind Kind, string Query)> For(string forenames, string surname, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        foreach (var kind in Kinds)
        {
            yield return (kind, Make(kind, forenames, surname, random));
        }
    }

    /// <summary>
    /// A query of the given kind. Queries use the first forename and the surname, as people rarely type middle names.
    /// </summary>
    public static string Make(MisspellingKind kind, string forenames, string surname, Random random)
    {
        ArgumentNullException.ThrowIfNull(forenames);
        ArgumentNullException.ThrowIfNull(surname);
        ArgumentNullException.ThrowIfNull(random);

        var given = forenames.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = given.Length > 0 ? given[0].ToLowerInvariant() : string.Empty;
        var last = surname.Trim().ToLowerInvariant();

        switch (kind)
        {
            case MisspellingKind.Substitution:
            case MisspellingKind.Deletion:
            case MisspellingKind.Insertion:
            case MisspellingKind.Transposition:
                return Join(EditOnePart(first, last, random, word => Edit(kind, word, random)));
            case MisspellingKind.TwoEdits:
                return TwoEdits(first, last, random);
            case MisspellingKind.PhoneticVariant:
                return SoundAlike(first, last, random);
            case MisspellingKind.SwappedOrder:
                return Join(last, first);
            case MisspellingKind.SwappedWithTypo:
                var (typoFirst, typoLast) = EditOnePart(first, last, random, word => RandomEdit(word, random));
                return typoFirst.Length > 0 ? $"{typoLast}, {typoFirst}" : typoLast;
            case MisspellingKind.MissingForename:
                return given.Length > 1 ? Join(given[1].ToLowerInvariant(), last) : last;
            case MisspellingKind.InitialOnly:
                var initial = first.Length > 0 ? char.ToUpperInvariant(first[0]).ToString() : string.Empty;
                return Join(random.Next(2) == 0 ? initial : initial + ".", last);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown misspelling kind.");
        }
    }

    private static string Join(string a, string b) => $"{a} {b}".Trim();

    private static string Join((string First, string Last) parts) => Join(parts.First, parts.Last);

    private static (string First, string Last) EditOnePart(string first, string last, Random random, Func<string, string> edit)
    {
        // Surnames are edited more often: they are longer, less familiar to the person typing, and often dictated.
        var editSurname = first.Length < 3 || (last.Length >= 3 && random.NextDouble() < 0.6);
        return editSurname ? (first, edit(last)) : (edit(first), last);
    }

    private static string TwoEdits(string first, string last, Random random)
    {
        var candidates = new List<bool>(2);
        if (last.Length >= MinLengthForTwoEditsInOnePart)
        {
            candidates.Add(true);
        }

        if (first.Length >= MinLengthForTwoEditsInOnePart)
        {
            candidates.Add(false);
        }

        if (candidates.Count == 0)
        {
            return Join(RandomEdit(first, random), RandomEdit(last, random));
        }

        var editSurname = candidates[random.Next(candidates.Count)];
        return editSurname
            ? Join(first, RandomEdit(RandomEdit(last, random), random))
            : Join(RandomEdit(RandomEdit(first, random), random), last);
    }

    private static string RandomEdit(string word, Random random) =>
        Edit((MisspellingKind)random.Next((int)MisspellingKind.Transposition + 1), word, random);

    private static string Edit(MisspellingKind kind, string word, Random random)
    {
        var letters = LetterPositions(word);
        if (letters.Count == 0)
        {
            return word;
        }

        switch (kind)
        {
            case MisspellingKind.Deletion when letters.Count >= 2:
                return word.Remove(letters[random.Next(letters.Count)], 1);
            case MisspellingKind.Insertion:
                return word.Insert(random.Next(word.Length + 1), Letters[random.Next(Letters.Length)].ToString());
            case MisspellingKind.Transposition:
                var pairs = letters.Where(i => i + 1 < word.Length && char.IsLetter(word[i + 1]) && word[i] != word[i + 1]).ToList();
                if (pairs.Count > 0)
                {
                    var i = pairs[random.Next(pairs.Count)];
                    return string.Concat(word.AsSpan(0, i), [word[i + 1], word[i]], word.AsSpan(i + 2));
                }

                return Substitute(word, letters, random);
            default:
                return Substitute(word, letters, random);
        }
    }

    private static string Substitute(string word, List<int> letters, Random random)
    {
        var position = letters[random.Next(letters.Count)];
        char replacement;
        do
        {
            replacement = Letters[random.Next(Letters.Length)];
        }
        while (replacement == word[position]);

        var builder = new StringBuilder(word) { [position] = replacement };
        return builder.ToString();
    }

    private static string SoundAlike(string first, string last, Random random)
    {
        // Try the surname first most of the time, for the same reason as in EditOnePart.
        var surnameFirst = random.NextDouble() < 0.6;
        foreach (var editSurname in surnameFirst ? new[] { true, false } : [false, true])
        {
            var word = editSurname ? last : first;
            var variant = ApplySoundAlike(word, random);
            if (variant is not null)
            {
                return editSurname ? Join(first, variant) : Join(variant, last);
            }
        }

        return Join(EditOnePart(first, last, random, word => SwapVowel(word, random)));
    }

    private static string? ApplySoundAlike(string word, Random random)
    {
        var options = new List<(int Position, string From, string To)>();
        foreach (var (from, to) in SoundAlikes)
        {
            for (var i = word.IndexOf(from, StringComparison.Ordinal); i >= 0; i = word.IndexOf(from, i + 1, StringComparison.Ordinal))
            {
                options.Add((i, from, to));
            }
        }

        // Doubling a single consonant or undoubling a double one (Philips/Phillips, Jonathon/Jonnathon).
        for (var i = 1; i < word.Length; i++)
        {
            if (word[i] == word[i - 1] && DoublingConsonants.Contains(word[i], StringComparison.Ordinal))
            {
                options.Add((i, word[i].ToString(), string.Empty));
            }
            else if (i < word.Length - 1 && word[i] != word[i + 1] && DoublingConsonants.Contains(word[i], StringComparison.Ordinal))
            {
                options.Add((i, word[i].ToString(), new string(word[i], 2)));
            }
        }

        if (options.Count == 0)
        {
            return null;
        }

        var (position, fromText, toText) = options[random.Next(options.Count)];
        return string.Concat(word.AsSpan(0, position), toText, word.AsSpan(position + fromText.Length));
    }

    private static string SwapVowel(string word, Random random)
    {
        // The first letter is kept: a leading vowel is part of what the name sounds like.
        var vowels = Enumerable.Range(1, Math.Max(0, word.Length - 1))
            .Where(i => Vowels.Contains(word[i], StringComparison.Ordinal))
            .ToList();
        if (vowels.Count == 0)
        {
            return RandomEdit(word, random);
        }

        var position = vowels[random.Next(vowels.Count)];
        char replacement;
        do
        {
            replacement = Vowels[random.Next(Vowels.Length)];
        }
        while (replacement == word[position]);

        return new StringBuilder(word) { [position] = replacement }.ToString();
    }

    private static List<int> LetterPositions(string word) =>
        [.. Enumerable.Range(0, word.Length).Where(i => char.IsLetter(word[i]))];
}
