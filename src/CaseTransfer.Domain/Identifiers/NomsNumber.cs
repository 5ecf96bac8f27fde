using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace CaseTransfer.Domain.Identifiers;

/// <summary>Prison (NOMS) number: letter, four digits, two letters, e.g. <c>A1234BC</c>.</summary>
public readonly partial record struct NomsNumber
{
    public const string Pattern = "^[A-Z][0-9]{4}[A-Z]{2}$";

    private NomsNumber(string value) => Value = value;

    public string Value { get; }

    public static bool IsValid([NotNullWhen(true)] string? value) => value is not null && Regex().IsMatch(value);

    public static NomsNumber Parse(string value) =>
        IsValid(value) ? new NomsNumber(value) : throw new FormatException($"'{value}' is not a NOMS number ({Pattern}).");

    public override string ToString() => Value;

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex Regex();
}
