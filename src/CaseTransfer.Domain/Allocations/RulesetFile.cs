using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace CaseTransfer.Domain.Allocations;

/// <summary>A ruleset file that cannot be used; the message names the rule or field and what is wrong with it.</summary>
public sealed class RulesetFormatException(string message, Exception? inner = null) : Exception(message, inner);

internal sealed record AllocationRule(string Id, string Description, AllocationOutcome Outcome, Condition When);

internal sealed record Band(Threshold AtLeast, int Points);

/// <summary>One source of tier points: a table of points per value (choice or set fact), or bands (number fact).</summary>
internal sealed record TierComponent(string Id, string Description, FactDefinition Fact, IReadOnlyDictionary<string, int> Points, IReadOnlyList<Band> Bands);

internal sealed record LevelThreshold(string Level, int AtLeast);

internal sealed record NoMandateForChange(string Description, Condition When);

/// <summary>One side of the tier (protect or change): its components, the thresholds of its levels (highest first).</summary>
internal sealed record TierAxis(string Name, IReadOnlyList<TierComponent> Components, IReadOnlyList<string> OnlyHigherOf, IReadOnlyList<LevelThreshold> Levels, NoMandateForChange? NoMandate);

/// <summary>The parsed content of a ruleset file, checked field by field.</summary>
internal sealed record RulesetDefinition(
    string Version,
    string Title,
    DateOnly? EffectiveFrom,
    IReadOnlyList<AllocationRule> Rules,
    string OtherwiseDescription,
    AllocationOutcome OtherwiseOutcome,
    TierAxis Protect,
    TierAxis Change);

/// <summary>Reads the YAML text of a ruleset (see rules/allocation/*.yaml for the format, documented in the file).</summary>
internal static class RulesetFile
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    public static RulesetDefinition Parse(string content)
    {
        Document document;
        try
        {
            document = Deserializer.Deserialize<Document?>(content) ?? throw new RulesetFormatException("The ruleset file is empty.");
        }
        catch (YamlException e)
        {
            throw new RulesetFormatException($"The ruleset file is not valid (line {e.Start.Line}, column {e.Start.Column}): {Explain(e)}", e);
        }

        var version = Required(document.Version, "version");
        var parameters = (document.Parameters ?? []).ToDictionary(
            p => p.Key,
            p => Number(p.Value, $"parameters.{p.Key}"),
            StringComparer.Ordinal);
        var reader = new Reader(parameters);

        var allocation = document.Allocation ?? throw Missing("allocation");
        var rules = (allocation.Rules is { Count: > 0 } r ? r : throw Missing("allocation.rules"))
            .Select((rule, i) => reader.Rule(rule, i))
            .ToList();
        foreach (var duplicate in rules.GroupBy(x => x.Id).Where(g => g.Count() > 1))
        {
            throw new RulesetFormatException($"Rule '{duplicate.Key}': the id is used more than once.");
        }

        var otherwise = allocation.Otherwise ?? throw Missing("allocation.otherwise");
        var tiering = document.Tiering ?? throw Missing("tiering");
        return new RulesetDefinition(
            version,
            document.Title ?? version,
            document.EffectiveFrom is null ? null
                : DateOnly.TryParseExact(document.EffectiveFrom, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from) ? from
                : throw new RulesetFormatException($"effectiveFrom: '{document.EffectiveFrom}' is not a date (yyyy-MM-dd)."),
            rules,
            Required(otherwise.Description, "allocation.otherwise.description"),
            Outcome(otherwise.Outcome, "allocation.otherwise.outcome"),
            reader.Axis(tiering.Protect, "protect", ["A", "B", "C", "D"]),
            reader.Axis(tiering.Change, "change", ["0", "1", "2", "3"]));
    }

    /// <summary>The innermost reason, with YamlDotNet's "property not found on type ..." said in the file's terms.</summary>
    private static string Explain(Exception e)
    {
        while (e.InnerException is { } inner)
        {
            e = inner;
        }

        var unknown = System.Text.RegularExpressions.Regex.Match(e.Message, "^Property '(?<key>[^']+)' not found on type");
        return unknown.Success ? $"'{unknown.Groups["key"].Value}' is not a key the ruleset format knows here (a misspelling?)." : e.Message;
    }

    private static RulesetFormatException Missing(string field) => new($"{field}: is required.");

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw Missing(field) : value.Trim();

    private static decimal Number(string? text, string field) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new RulesetFormatException($"{field}: '{text}' is not a number.");

    private static AllocationOutcome Outcome(string? text, string field) =>
        Enum.TryParse<AllocationOutcome>(text, ignoreCase: false, out var outcome) && Enum.IsDefined(outcome)
            ? outcome
            : throw new RulesetFormatException($"{field}: '{text}' is not an outcome; use {string.Join(" or ", Enum.GetNames<AllocationOutcome>())}.");

    /// <summary>Turns the file's sections into the model, resolving parameter names; every error names where it is.</summary>
    private sealed class Reader(IReadOnlyDictionary<string, decimal> parameters)
    {
        public AllocationRule Rule(RuleDocument rule, int index)
        {
            var id = Required(rule.Id, $"allocation.rules[{index}].id");
            var where = $"Rule '{id}'";
            return new AllocationRule(
                id,
                Required(rule.Description, $"{where}: description"),
                Outcome(rule.Outcome, $"{where}: outcome"),
                Condition(rule.When ?? throw new RulesetFormatException($"{where}: when is required."), where));
        }

        public TierAxis Axis(AxisDocument? axis, string name, string[] levelNames)
        {
            var where = $"tiering.{name}";
            if (axis is null)
            {
                throw Missing(where);
            }

            var components = (axis.Components is { Count: > 0 } c ? c : throw Missing($"{where}.components"))
                .Select((component, i) => Component(component, $"{where}.components[{i}]"))
                .ToList();
            var higherOf = axis.OnlyHigherOf ?? [];
            foreach (var id in higherOf.Where(id => !components.Exists(x => x.Id == id)))
            {
                throw new RulesetFormatException($"{where}.onlyHigherOf: '{id}' is not a component of {name}.");
            }

            var levels = (axis.Levels is { Count: > 0 } l ? l : throw Missing($"{where}.levels"))
                .Select(level => levelNames.Contains(level.Key)
                    ? new LevelThreshold(level.Key, level.Value)
                    : throw new RulesetFormatException($"{where}.levels: '{level.Key}' is not a level; the levels are {string.Join(", ", levelNames)}."))
                .OrderByDescending(level => level.AtLeast)
                .ToList();
            if (levels[^1].AtLeast != 0)
            {
                throw new RulesetFormatException($"{where}.levels: the lowest level must start at 0 so every case has a level.");
            }

            if (axis.NoMandateForChange is not null && name != "change")
            {
                throw new RulesetFormatException($"{where}.noMandateForChange: only the change side has a mandate for change.");
            }

            var noMandate = axis.NoMandateForChange is { } n
                ? new NoMandateForChange(
                    Required(n.Description, $"{where}.noMandateForChange.description"),
                    Condition(n.When ?? throw Missing($"{where}.noMandateForChange.when"), $"{where}.noMandateForChange"))
                : null;
            return new TierAxis(name, components, higherOf, levels, noMandate);
        }

        private TierComponent Component(ComponentDocument component, string position)
        {
            var id = Required(component.Id, $"{position}.id");
            var where = $"Tier component '{id}'";
            var fact = Facts.Named(component.Fact, where);
            var points = component.Points ?? [];
            foreach (var value in points.Keys.Where(v => !fact.Allows(v)))
            {
                throw UnknownValue(where, fact, value);
            }

            var bands = (component.Bands ?? []).Select((b, i) => new Band(
                Threshold(b.AtLeast, $"{where}: bands[{i}].atLeast"),
                b.Points ?? throw new RulesetFormatException($"{where}: bands[{i}].points is required."))).ToList();
            var fits = fact.Kind == FactKind.Number ? bands.Count > 0 && points.Count == 0 : points.Count > 0 && bands.Count == 0;
            if (!fits)
            {
                throw new RulesetFormatException(fact.Kind == FactKind.Number
                    ? $"{where}: {fact.Name} is a number; give bands (atLeast, points), not points per value."
                    : $"{where}: {fact.Name} takes named values; give points per value, not bands.");
            }

            return new TierComponent(id, Required(component.Description, $"{where}: description"), fact, points, [.. bands.OrderByDescending(b => b.AtLeast.Value)]);
        }

        private Condition Condition(ConditionDocument c, string where)
        {
            if (c.Any is not null || c.All is not null)
            {
                if (c.Fact is not null || (c.Any is not null && c.All is not null))
                {
                    throw new RulesetFormatException($"{where}: a condition is either any, all, or one fact test.");
                }

                var children = (c.Any ?? c.All)!;
                if (children.Count == 0)
                {
                    throw new RulesetFormatException($"{where}: {(c.Any is not null ? "any" : "all")} needs at least one condition.");
                }

                var parsed = children.Select(child => Condition(child, where)).ToList();
                return c.Any is not null ? new AnyOf(parsed) : new AllOf(parsed);
            }

            var fact = Facts.Named(c.Fact, where);
            var tests = new (string Name, bool Given)[]
            {
                ("in", c.In is not null), ("notIn", c.NotIn is not null), ("atLeast", c.AtLeast is not null), ("below", c.Below is not null),
                ("contains", c.Contains is not null), ("containsAny", c.ContainsAny is not null), ("containsNone", c.ContainsNone is not null),
                ("notNone", c.NotNone is not null),
            }.Where(t => t.Given).Select(t => t.Name).ToList();
            if (tests.Count != 1)
            {
                throw new RulesetFormatException($"{where}: the condition on {fact.Name} needs exactly one test (in, notIn, atLeast, below, contains, containsAny, containsNone, notNone); it has {(tests.Count == 0 ? "none" : string.Join(", ", tests))}.");
            }

            var test = tests[0];
            var expected = test switch
            {
                "in" or "notIn" or "notNone" => FactKind.Choice,
                "atLeast" or "below" => FactKind.Number,
                _ => FactKind.Set,
            };
            if (fact.Kind != expected)
            {
                throw new RulesetFormatException($"{where}: {test} does not apply to {fact.Name} (a {fact.Kind.ToString().ToLowerInvariant()} fact).");
            }

            return test switch
            {
                "in" => new IsOneOf(fact, Values(fact, c.In!, where), false),
                "notIn" => new IsOneOf(fact, Values(fact, c.NotIn!, where), true),
                "notNone" when c.NotNone == true && fact.Allows("None") => new IsNotNone(fact),
                "notNone" => throw new RulesetFormatException($"{where}: notNone must be true, on a fact that has None."),
                "atLeast" => new Compares(fact, Threshold(c.AtLeast, $"{where}: atLeast"), false),
                "below" => new Compares(fact, Threshold(c.Below, $"{where}: below"), true),
                "contains" => new Holds(fact, Values(fact, [c.Contains!], where), false),
                "containsAny" => new Holds(fact, Values(fact, c.ContainsAny!, where), false),
                _ => new Holds(fact, Values(fact, c.ContainsNone!, where), true),
            };
        }

        private static List<string> Values(FactDefinition fact, List<string> values, string where)
        {
            if (values.Count == 0)
            {
                throw new RulesetFormatException($"{where}: the list of {fact.Name} values is empty.");
            }

            return values.Select(v => fact.Allows(v) ? v : throw UnknownValue(where, fact, v)).ToList();
        }

        private Threshold Threshold(string? text, string where) =>
            text is not null && parameters.TryGetValue(text, out var value) ? new Threshold(value, text)
            : text is not null && char.IsLetter(text[0]) ? throw new RulesetFormatException($"{where}: '{text}' is not a number nor a parameter; the parameters are {string.Join(", ", parameters.Keys)}.")
            : new Threshold(Number(text, where), null);

        private static RulesetFormatException UnknownValue(string where, FactDefinition fact, string value) =>
            new($"{where}: '{value}' is not a value of {fact.Name}; the values are {string.Join(", ", fact.Values)}.");
    }

    // The file's shape, as YamlDotNet reads it. An unknown key is an error (a misspelt key must not be ignored).
    private sealed class Document
    {
        public string? Version { get; set; }
        public string? Title { get; set; }
        public string? EffectiveFrom { get; set; }
        public Dictionary<string, string>? Parameters { get; set; }
        public AllocationDocument? Allocation { get; set; }
        public TieringDocument? Tiering { get; set; }
    }

    private sealed class AllocationDocument
    {
        public List<RuleDocument>? Rules { get; set; }
        public OtherwiseDocument? Otherwise { get; set; }
    }

    private sealed class RuleDocument
    {
        public string? Id { get; set; }
        public string? Description { get; set; }
        public string? Outcome { get; set; }
        public ConditionDocument? When { get; set; }
    }

    private sealed class OtherwiseDocument
    {
        public string? Description { get; set; }
        public string? Outcome { get; set; }
    }

    private sealed class ConditionDocument
    {
        public string? Fact { get; set; }
        public List<string>? In { get; set; }
        public List<string>? NotIn { get; set; }
        public string? AtLeast { get; set; }
        public string? Below { get; set; }
        public string? Contains { get; set; }
        public List<string>? ContainsAny { get; set; }
        public List<string>? ContainsNone { get; set; }
        public bool? NotNone { get; set; }
        public List<ConditionDocument>? Any { get; set; }
        public List<ConditionDocument>? All { get; set; }
    }

    private sealed class TieringDocument
    {
        public AxisDocument? Protect { get; set; }
        public AxisDocument? Change { get; set; }
    }

    private sealed class AxisDocument
    {
        public List<ComponentDocument>? Components { get; set; }
        public List<string>? OnlyHigherOf { get; set; }
        public Dictionary<string, int>? Levels { get; set; }
        public NoMandateDocument? NoMandateForChange { get; set; }
    }

    private sealed class NoMandateDocument
    {
        public string? Description { get; set; }
        public ConditionDocument? When { get; set; }
    }

    private sealed class ComponentDocument
    {
        public string? Id { get; set; }
        public string? Description { get; set; }
        public string? Fact { get; set; }
        public Dictionary<string, int>? Points { get; set; }
        public List<BandDocument>? Bands { get; set; }
    }

    private sealed class BandDocument
    {
        public string? AtLeast { get; set; }
        public int? Points { get; set; }
    }
}
