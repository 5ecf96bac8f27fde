using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace CaseTransfer.Domain.Identifiers;

/// <summary>Case Reference Number: one upper-case letter then six digits, e.g. <c>X123456</c>.</summary>
public readonly partial record struct Crn
{
    public const string Pattern = "^[A-Z][0-9]{6}$";

    private Crn(string value) => Value = value;

    public string Value { get; }

    public static bool IsValid([NotNullWhen(true)] string? value) => value is not null && Regex().IsMatch(value);

    public static bool TryParse(string? value, out Crn crn)
    {
        crn = IsValid(value) ? new Crn(value) : default;
        return crn.Value is not null;
    }

    public static Crn Parse(string value) =>
        TryParse(value, out var crn) ? crn : throw new FormatException($"'{value}' is not a CRN ({Pattern}).");

    public override string ToString() => Value;

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex Regex();
}
