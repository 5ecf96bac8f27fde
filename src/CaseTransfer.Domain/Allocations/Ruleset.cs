using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CaseTransfer.Domain.Organisations;

namespace CaseTransfer.Domain.Allocations;

/// <summary>
/// One version of the allocation rules and the tiering, parsed from its file. Identified by the version the file
/// declares and by the SHA-256 of the file's bytes, so a decision names exactly the text that made it. Deterministic:
/// the same facts give the same answer, compared exactly (decimals, no rounding).
/// </summary>
public sealed class Ruleset
{
    /// <summary>The decision's name for what applies when no rule fires.</summary>
    public const string OtherwiseRuleId = "otherwise";

    private readonly RulesetDefinition _definition;

    private Ruleset(RulesetDefinition definition, string hash, string content)
    {
        _definition = definition;
        Hash = hash;
        Content = content;
    }

    public string Version => _definition.Version;

    /// <summary>Lowercase hex SHA-256 of the file's bytes.</summary>
    public string Hash { get; }

    /// <summary>The file's text, kept so a decision can be re-run under it after the file has changed.</summary>
    public string Content { get; }

    public string Title => _definition.Title;

    public DateOnly? EffectiveFrom => _definition.EffectiveFrom;

    /// <summary>The allocation rules' ids and descriptions, in the order they are applied.</summary>
    public IReadOnlyList<(string Id, string Description)> Rules => [.. _definition.Rules.Select(r => (r.Id, r.Description))];

    /// <summary>Parses ruleset text; the hash is of its UTF-8 bytes.</summary>
    /// <exception cref="RulesetFormatException">The text is not a usable ruleset; the message names the rule or field.</exception>
    public static Ruleset Parse(string content) => Parse(Encoding.UTF8.GetBytes(content));

    /// <summary>Parses a ruleset file's bytes; the hash is of exactly these bytes.</summary>
    public static Ruleset Parse(byte[] bytes)
    {
        var content = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        return new Ruleset(RulesetFile.Parse(content), HashOf(bytes), content);
    }

    public static string HashOf(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// Decides who supervises the case: every rule is evaluated and reported; the first that fires decides, otherwise
    /// the case goes where <c>otherwise</c> says. Provisional when nothing fired and a rule lacked a fact.
    /// </summary>
    public AllocationDecision Decide(AllocationFacts facts, Area area)
    {
        if (facts.AreaCode != area.Code)
        {
            throw new ArgumentException($"The case is in area {facts.AreaCode}, not {area.Code}.", nameof(area));
        }

        var evaluations = new List<RuleEvaluation>();
        AllocationRule? decisive = null;
        foreach (var rule in _definition.Rules)
        {
            var trace = new Trace();
            var truth = rule.When.Evaluate(facts, trace);
            evaluations.Add(new RuleEvaluation(rule.Id, rule.Description, truth == Truth.True, trace.Reads, truth == Truth.Unknown ? trace.Missing : []));
            if (truth == Truth.True)
            {
                decisive ??= rule;
            }
        }

        var undecided = evaluations.SelectMany(e => e.MissingFacts).Distinct().ToList();
        var provisional = decisive is null && undecided.Count > 0;
        var outcome = decisive?.Outcome ?? _definition.OtherwiseOutcome;
        evaluations.Add(new RuleEvaluation(OtherwiseRuleId, _definition.OtherwiseDescription, decisive is null, [new FactRead("areaCode", facts.AreaCode)], []));
        return new AllocationDecision(
            outcome,
            outcome == AllocationOutcome.KeepWithNps ? area.NpsRegionCode : area.ProviderCode,
            provisional,
            provisional ? undecided : [],
            evaluations,
            Version,
            Hash);
    }

    /// <summary>The case's tier with its points breakdown. With no risk assessment there is no tier, only the missing facts.</summary>
    public TierAssessment Tier(AllocationFacts facts)
    {
        var trace = new Trace();
        var protect = Score(_definition.Protect, facts, trace);
        var change = Score(_definition.Change, facts, trace);
        var tiered = facts.HasRiskAssessment;
        return new TierAssessment(
            tiered ? protect.Level + change.Level : null,
            tiered ? protect.Level[0] : null,
            tiered ? int.Parse(change.Level, CultureInfo.InvariantCulture) : null,
            protect.Total,
            change.Total,
            [.. protect.Rows, .. change.Rows],
            trace.Missing,
            Version,
            Hash);
    }

    private static (int Total, List<TierPoints> Rows, string Level) Score(TierAxis axis, AllocationFacts facts, Trace trace)
    {
        var scored = axis.Components.Select(c => (Component: c, Rows: Rows(axis, c, facts, trace))).ToList();

        // Two components that measure the same thing (RoSH and RSR) count once: the higher, the first on a tie.
        var rivals = scored.Where(s => axis.OnlyHigherOf.Contains(s.Component.Id)).ToList();
        var counted = rivals.OrderByDescending(s => s.Rows.Sum(r => r.Points)).Select(s => s.Component.Id).FirstOrDefault();
        var rows = scored.SelectMany(s => rivals.Exists(r => r.Component.Id == s.Component.Id) && s.Component.Id != counted
                ? s.Rows.Select(r => r with
                {
                    Points = 0,
                    Note = $"only the higher of {string.Join(" and ", axis.OnlyHigherOf)} counts; {s.Component.Id} would give {r.Points}",
                })
                : s.Rows)
            .ToList();
        var total = rows.Sum(r => r.Points);

        if (axis.NoMandate is { } noMandate && noMandate.When.Evaluate(facts, trace) == Truth.True)
        {
            rows.Add(new TierPoints($"{axis.Name}.noMandateForChange", "sentenceType, requirements", null, 0, noMandate.Description));
            return (total, rows, "0");
        }

        return (total, rows, axis.Levels.First(l => total >= l.AtLeast).Level);
    }

    private static List<TierPoints> Rows(TierAxis axis, TierComponent component, AllocationFacts facts, Trace trace)
    {
        var name = $"{axis.Name}.{component.Id}";
        var fact = component.Fact;
        var value = trace.Read(fact, facts);
        if (value.IsMissing)
        {
            return [new TierPoints(name, fact.Name, null, 0, "missing: no points until it is known")];
        }

        switch (fact.Kind)
        {
            case FactKind.Number:
                var band = component.Bands.FirstOrDefault(b => value.Number >= b.AtLeast.Value);
                return [new TierPoints(name, fact.Name, value.Text, band?.Points ?? 0, band is null ? "below every band" : $"at least {BandText(band.AtLeast)}")];
            case FactKind.Set:
                var members = value.Set!.Where(component.Points.ContainsKey).Select(v => new TierPoints(name, fact.Name, v, component.Points[v])).ToList();
                return members.Count > 0 ? members : [new TierPoints(name, fact.Name, value.Text, 0, "none that score")];
            default:
                return [new TierPoints(name, fact.Name, value.Text, component.Points.GetValueOrDefault(value.Choice!))];
        }
    }

    private static string BandText(Threshold threshold) =>
        threshold.Parameter is null
            ? FactValue.Format(threshold.Value)
            : $"{threshold.Parameter} ({FactValue.Format(threshold.Value)})";
}

/// <summary>Every ruleset the service knows, and the one in force.</summary>
public sealed class RulesetCatalogue
{
    public RulesetCatalogue(IEnumerable<Ruleset> rulesets, string activeVersion)
    {
        All = [.. rulesets.OrderBy(r => r.Version, StringComparer.Ordinal)];
        foreach (var duplicate in All.GroupBy(r => r.Version).Where(g => g.Count() > 1))
        {
            throw new RulesetFormatException($"Ruleset version {duplicate.Key} is declared by more than one file.");
        }

        Active = Find(activeVersion)
            ?? throw new RulesetFormatException($"The active ruleset {activeVersion} is not among the rulesets ({string.Join(", ", All.Select(r => r.Version))}).");
    }

    public Ruleset Active { get; }

    public IReadOnlyList<Ruleset> All { get; }

    public Ruleset? Find(string version) => All.FirstOrDefault(r => r.Version == version);

    public Ruleset? FindByHash(string hash) => All.FirstOrDefault(r => r.Hash == hash);
}
