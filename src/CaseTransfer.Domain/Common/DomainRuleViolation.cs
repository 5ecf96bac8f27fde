namespace CaseTransfer.Domain.Common;

/// <summary>
/// A domain rule forbids the action. <see cref="Rule"/> is a stable, kebab-case name that the API
/// publishes in the problem type, so a partner system can tell one refusal from another.
/// </summary>
public sealed class DomainRuleViolation(string rule, string message) : Exception(message)
{
    public string Rule { get; } = rule;
}
