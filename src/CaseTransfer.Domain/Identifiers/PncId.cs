using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CaseTransfer.Domain.Identifiers;

/// <summary>
/// Police National Computer identifier, <c>YYYY/NNNNNNNX</c>. The serial may be written with fewer than seven
/// digits (<c>2012/52494Q</c>); it is stored zero-padded. The check letter is verified: the two-digit year and the
/// seven-digit serial, read as one number, modulo 23, index <see cref="CheckLetters"/>.
/// </summary>
public readonly partial record struct PncId
{
    public const string Format = "YYYY/NNNNNNNX";
    private const string CheckLetters = "ZABCDEFGHJKLMNPQRTUVWXY";

    private PncId(string value) => Value = value;

    public string Value { get; }

    public static bool IsValid([NotNullWhen(true)] string? value) => TryParse(value, out _);

    public static bool TryParse(string? value, out PncId pnc)
    {
        pnc = default;
        if (value is null)
        {
            return false;
        }

        var match = Regex().Match(value.Trim().ToUpperInvariant());
        if (!match.Success)
        {
            return false;
        }

        var year = match.Groups["year"].Value;
        var serial = match.Groups["serial"].Value.PadLeft(7, '0');
        var check = match.Groups["check"].Value[0];
        if (CheckLetterFor(year, serial) != check)
        {
            return false;
        }

        pnc = new PncId($"{year}/{serial}{check}");
        return true;
    }

    /// <summary>
    /// The PNC IDs a searcher may mean by <paramref name="text"/>, written as people write them: the full form
    /// (<c>2019/0052494Q</c>), the serial without leading zeros (<c>2019/52494Q</c>), or the short form with a two-digit
    /// year (<c>19/52494Q</c>), which may be 1919 or 2019 (the check letter reads only the two digits, so both or neither
    /// are valid). Empty when the text is not one of these forms or its check letter does not match.
    /// </summary>
    public static IReadOnlyList<PncId> SearchForms(string? text)
    {
        if (text is null || SearchRegex().Match(text.Trim().ToUpperInvariant()) is not { Success: true } match)
        {
            return [];
        }

        var year = match.Groups["year"].Value;
        var rest = match.Groups["serial"].Value + match.Groups["check"].Value;
        string[] years = year.Length == 4 ? [year] : ["19" + year, "20" + year];
        return [.. years.Select(y => TryParse($"{y}/{rest}", out var pnc) ? pnc : (PncId?)null).OfType<PncId>()];
    }

    /// <summary>
    /// Whether <paramref name="text"/> is written as a PNC ID in one of the <see cref="SearchForms"/> forms but its check
    /// letter does not match its year and serial: a mistyped identifier, which a search should say is wrong rather than
    /// look for as a name.
    /// </summary>
    public static bool IsMistyped(string? text) =>
        text is not null && SearchRegex().IsMatch(text.Trim().ToUpperInvariant()) && SearchForms(text).Count == 0;

    public static PncId Parse(string value) =>
        TryParse(value, out var pnc) ? pnc : throw new FormatException($"'{value}' is not a PNC ID ({Format} with a valid check letter).");

    /// <summary>The check letter for a four-digit year and a serial of up to seven digits.</summary>
    public static char CheckLetterFor(string year, string serial)
    {
        var number = long.Parse(year[^2..] + serial.PadLeft(7, '0'), CultureInfo.InvariantCulture);
        return CheckLetters[(int)(number % 23)];
    }

    public override string ToString() => Value;

    [GeneratedRegex("^(?<year>(19|20)[0-9]{2}|[0-9]{2})/(?<serial>[0-9]{1,7})(?<check>[A-Z])$", RegexOptions.CultureInvariant)]
    private static partial Regex SearchRegex();

    [GeneratedRegex("^(?<year>(19|20)[0-9]{2})/(?<serial>[0-9]{1,7})(?<check>[A-Z])$", RegexOptions.CultureInvariant)]
    private static partial Regex Regex();
}
