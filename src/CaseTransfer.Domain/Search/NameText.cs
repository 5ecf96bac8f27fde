using System.Globalization;
using System.Text;

namespace CaseTransfer.Domain.Search;

/// <summary>
/// Turns free-typed name text into the comparable tokens used by <see cref="NameKeys"/> and
/// <see cref="NameMatcher"/>. Culture-independent so the same text always yields the same tokens,
/// whatever the server's locale.
/// </summary>
public static class NameText
{
    /// <summary>
    /// Lower-cases (invariant), strips diacritics and keeps letters only, so "Zoë" and "ZOE" compare equal.
    /// Everything that is not a letter is dropped, including hyphens and spaces: use <see cref="Tokens"/>
    /// when word boundaries matter.
    /// </summary>
    public static string Normalise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            AppendFolded(builder, c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Splits text into normalised, non-empty tokens. Apostrophes join ("O'Brien" is one token, "obrien");
    /// any other non-letter (space, hyphen, dot, comma, digit) separates ("Smith-Jones" is "smith", "jones").
    /// </summary>
    public static IReadOnlyList<string> Tokens(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (char.IsLetter(c))
            {
                AppendFolded(current, c);
            }
            else if (IsApostrophe(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark
                         or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                // Part of the word but not of its spelling: "O'Brien" is searched as "obrien", "é" as "e".
            }
            else if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    private static bool IsApostrophe(char c) =>
        c is '\'' or '\u2019' or '\u2018' or '\u02BC' or '`' or '\u00B4';

    private static void AppendFolded(StringBuilder builder, char c)
    {
        if (!char.IsLetter(c))
        {
            return;
        }

        // These letters have no decomposition under FormD, yet English-keyboard users type them as below.
        switch (c)
        {
            case 'ß' or 'ẞ':
                builder.Append("ss");
                return;
            case 'æ' or 'Æ':
                builder.Append("ae");
                return;
            case 'œ' or 'Œ':
                builder.Append("oe");
                return;
            case 'ø' or 'Ø':
                builder.Append('o');
                return;
            case 'ł' or 'Ł':
                builder.Append('l');
                return;
            case 'đ' or 'Đ' or 'ð' or 'Ð':
                builder.Append('d');
                return;
            case 'þ' or 'Þ':
                builder.Append("th");
                return;
            case 'ı':
                builder.Append('i');
                return;
            default:
                builder.Append(char.ToLowerInvariant(c));
                return;
        }
    }
}
