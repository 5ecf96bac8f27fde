namespace CaseTransfer.Domain.Allocations;

/// <summary>What the allocation rules say should happen to a case.</summary>
public enum AllocationOutcome
{
    /// <summary>The NPS keeps the case (high risk, MAPPA, high RSR, long or indeterminate sentence, public interest).</summary>
    KeepWithNps,

    /// <summary>The case goes to the provider that covers its area.</summary>
    AllocateToProvider,
}
