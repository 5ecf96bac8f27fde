using System.Globalization;
using CaseTransfer.Domain.Cases;

namespace CaseTransfer.Domain.Allocations;

internal enum FactKind
{
    /// <summary>One value of a fixed list (RoSH, MAPPA, sentence type).</summary>
    Choice,
    /// <summary>A percentage score.</summary>
    Number,
    /// <summary>Any number of values of a fixed list (flags, requirements).</summary>
    Set,
}

/// <summary>A fact's value as the rules see it; <see cref="IsMissing"/> when the case does not give it.</summary>
internal readonly record struct FactValue(string? Choice, decimal? Number, IReadOnlyList<string>? Set)
{
    public bool IsMissing => Choice is null && Number is null && Set is null;

    // G29 drops trailing zeros, so 3.2 reads "3.2" whichever engine stored it (PostgreSQL gives 3.2000).
    public string? Text =>
        Choice ?? (Number is { } n ? Format(n) : Set is { } s ? (s.Count == 0 ? "none" : string.Join(", ", s)) : null);

    public static string Format(decimal number) => number.ToString("G29", CultureInfo.InvariantCulture);
}

/// <summary>A named fact a ruleset may read: its kind, the values it can take, and where it comes from.</summary>
internal sealed record FactDefinition(string Name, FactKind Kind, IReadOnlyList<string> Values, Func<AllocationFacts, FactValue> Read)
{
    public bool Allows(string value) => Values.Contains(value, StringComparer.Ordinal);
}

/// <summary>The facts a ruleset file may name, by the names the file uses.</summary>
internal static class Facts
{
    public static readonly IReadOnlyDictionary<string, FactDefinition> ByName = new FactDefinition[]
    {
        Choice<RoshLevel>("rosh", f => f.HasRiskAssessment ? f.Rosh : null),
        Number("rsrPercent", f => f.HasRiskAssessment ? f.RsrPercent : null),
        Number("ogrsPercent", f => f.HasRiskAssessment ? f.OgrsPercent : null),
        Choice<MappaCategory>("mappaCategory", f => f.HasRiskAssessment ? f.MappaCategory : null),
        Choice<MappaLevel>("mappaLevel", f => f.HasRiskAssessment ? f.MappaLevel : null),
        Choice<SentenceType>("sentenceType", f => f.SentenceType),
        new("flags", FactKind.Set, Names<RiskFlags>().Where(n => n != nameof(RiskFlags.None)).ToList(), f => f.HasRiskAssessment
            ? new FactValue(null, null, Enum.GetValues<RiskFlags>().Where(v => v != RiskFlags.None && f.Flags.HasFlag(v)).Select(v => v.ToString()).ToList())
            : default),
        new("requirements", FactKind.Set, Names<RequirementType>(), f =>
            new FactValue(null, null, f.Requirements.Distinct().Order().Select(r => r.ToString()).ToList())),
    }.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public static FactDefinition Named(string? name, string where) =>
        name is not null && ByName.TryGetValue(name, out var fact)
            ? fact
            : throw new RulesetFormatException($"{where}: unknown fact '{name}'; the facts are {string.Join(", ", ByName.Keys)}.");

    private static FactDefinition Choice<T>(string name, Func<AllocationFacts, T?> read)
        where T : struct, Enum =>
        new(name, FactKind.Choice, Names<T>(), f => new FactValue(read(f)?.ToString(), null, null));

    private static FactDefinition Number(string name, Func<AllocationFacts, decimal?> read) =>
        new(name, FactKind.Number, [], f => new FactValue(null, read(f), null));

    private static List<string> Names<T>()
        where T : struct, Enum => [.. Enum.GetNames<T>()];
}
