namespace CaseTransfer.Domain.Allocations;

/// <summary>Three-valued: a condition over a missing fact is Unknown, never quietly false.</summary>
internal enum Truth
{
    False,
    True,
    Unknown,
}

/// <summary>What evaluating a rule read: each fact (and named parameter) once, in the order read, and the facts missing.</summary>
internal sealed class Trace
{
    private readonly List<FactRead> _reads = [];
    private readonly List<string> _missing = [];

    public IReadOnlyList<FactRead> Reads => _reads;
    public IReadOnlyList<string> Missing => _missing;

    public FactValue Read(FactDefinition fact, AllocationFacts facts)
    {
        var value = fact.Read(facts);
        Note(fact.Name, value.Text);
        if (value.IsMissing && !_missing.Contains(fact.Name))
        {
            _missing.Add(fact.Name);
        }

        return value;
    }

    public void Note(string name, string? value)
    {
        if (!_reads.Exists(r => r.Name == name))
        {
            _reads.Add(new FactRead(name, value));
        }
    }
}

/// <summary>A number in a ruleset: written literally, or the name of a parameter (read back into the trace).</summary>
internal sealed record Threshold(decimal Value, string? Parameter)
{
    public void Note(Trace trace)
    {
        if (Parameter is not null)
        {
            trace.Note(Parameter, FactValue.Format(Value));
        }
    }
}

internal abstract record Condition
{
    public abstract Truth Evaluate(AllocationFacts facts, Trace trace);

    protected static Truth Of(bool value) => value ? Truth.True : Truth.False;
}

internal sealed record AnyOf(IReadOnlyList<Condition> Conditions) : Condition
{
    // Every branch is evaluated (no short cut) so the explanation lists every fact the rule looks at.
    public override Truth Evaluate(AllocationFacts facts, Trace trace)
    {
        var results = Conditions.Select(c => c.Evaluate(facts, trace)).ToList();
        return results.Contains(Truth.True) ? Truth.True : results.Contains(Truth.Unknown) ? Truth.Unknown : Truth.False;
    }
}

internal sealed record AllOf(IReadOnlyList<Condition> Conditions) : Condition
{
    public override Truth Evaluate(AllocationFacts facts, Trace trace)
    {
        var results = Conditions.Select(c => c.Evaluate(facts, trace)).ToList();
        return results.Contains(Truth.False) ? Truth.False : results.Contains(Truth.Unknown) ? Truth.Unknown : Truth.True;
    }
}

/// <summary>in / notIn: a choice fact is (not) one of the values.</summary>
internal sealed record IsOneOf(FactDefinition Fact, IReadOnlyList<string> Values, bool Negated) : Condition
{
    public override Truth Evaluate(AllocationFacts facts, Trace trace) =>
        trace.Read(Fact, facts).Choice is { } value ? Of(Values.Contains(value) != Negated) : Truth.Unknown;
}

/// <summary>notNone: a choice fact is known and is not None.</summary>
internal sealed record IsNotNone(FactDefinition Fact) : Condition
{
    public override Truth Evaluate(AllocationFacts facts, Trace trace) =>
        trace.Read(Fact, facts).Choice is { } value ? Of(value != "None") : Truth.Unknown;
}

/// <summary>atLeast / below: exact decimal comparison; "at least 6.9" holds for 6.9 and not for 6.89.</summary>
internal sealed record Compares(FactDefinition Fact, Threshold Threshold, bool Below) : Condition
{
    public override Truth Evaluate(AllocationFacts facts, Trace trace)
    {
        var value = trace.Read(Fact, facts).Number;
        Threshold.Note(trace);
        return value is { } n ? Of(Below ? n < Threshold.Value : n >= Threshold.Value) : Truth.Unknown;
    }
}

/// <summary>contains / containsAny / containsNone: a set fact holds any (none) of the values.</summary>
internal sealed record Holds(FactDefinition Fact, IReadOnlyList<string> Values, bool None) : Condition
{
    public override Truth Evaluate(AllocationFacts facts, Trace trace) =>
        trace.Read(Fact, facts).Set is { } set ? Of(Values.Any(set.Contains) != None) : Truth.Unknown;
}
