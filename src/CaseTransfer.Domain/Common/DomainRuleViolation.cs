namespace CaseTransfer.Domain.Common;

/// <summary>
/// A domain rule forbids the action. <see cref="Rule"/> is a stable, kebab-case name that the API
/// publishes in the problem type, so a partner system can tell one refusal from another.
/// </summary>
public sealed class DomainRuleViolation(string rule, string message) : Exception(message)
{
    public string Rule { get; } = rule;

    /// <summary>Figures a client needs to act on the refusal (shown as problem details members), such as workload figures to acknowledge.</summary>
    public IReadOnlyDictionary<string, object?>? Facts { get; init; }
}
