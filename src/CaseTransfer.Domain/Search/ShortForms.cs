using System.Collections.Frozen;

namespace CaseTransfer.Domain.Search;

/// <summary>
/// Forename short forms (Bob and Robert, Liz and Elizabeth, Mike and Michael), from the reviewed list
/// <c>rules/names/forename-short-forms.txt</c>: one group per line, and two names are short forms of each other when
/// they share a line. Not transitive: Bert shares a line with Albert and one with Robert, but Albert does not find Robert.
/// </summary>
public static class ShortForms
{
    public const string ResourceName = "CaseTransfer.Domain.Search.forename-short-forms.txt";

    private static readonly Lazy<FrozenDictionary<string, string[]>> Shipped = new(() =>
    {
        using var stream = typeof(ShortForms).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The short-forms list {ResourceName} is not embedded.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    });

    /// <summary>
    /// The names that share a group with <paramref name="normalisedToken"/> (a <see cref="NameText"/> token), itself
    /// excluded, in a fixed order; empty when it is in no group.
    /// </summary>
    public static IReadOnlyList<string> Of(string normalisedToken) =>
        Shipped.Value.TryGetValue(normalisedToken, out var others) ? others : [];

    /// <summary>Whether two different tokens are short forms of each other.</summary>
    public static bool AreShortForms(string a, string b) =>
        !string.Equals(a, b, StringComparison.Ordinal) && Shipped.Value.TryGetValue(a, out var others) && Array.IndexOf(others, b) >= 0;

    /// <summary>
    /// Reads the list's format: <c>#</c> starts a comment line, blank lines are skipped, every other line is a group of
    /// two or more names of letters only, already as <see cref="NameText"/> tokens (lower case, no accents).
    /// </summary>
    public static FrozenDictionary<string, string[]> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var groups = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var names = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (names.Length < 2)
            {
                throw new FormatException($"Line {lineNumber} of the short-forms list names fewer than two names: '{line}'.");
            }

            foreach (var name in names)
            {
                var tokens = NameText.Tokens(name);
                if (tokens.Count != 1 || tokens[0] != name)
                {
                    throw new FormatException($"Line {lineNumber} of the short-forms list has '{name}', which is not a lower-case name of letters only.");
                }
            }

            foreach (var name in names)
            {
                if (!groups.TryGetValue(name, out var others))
                {
                    groups[name] = others = new SortedSet<string>(StringComparer.Ordinal);
                }

                others.UnionWith(names.Where(n => n != name));
            }
        }

        return groups.ToFrozenDictionary(g => g.Key, g => g.Value.ToArray(), StringComparer.Ordinal);
    }
}
