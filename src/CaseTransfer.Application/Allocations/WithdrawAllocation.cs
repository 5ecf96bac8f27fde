using System.Text.Json.Serialization;
using CaseTransfer.Application.Common;
using Mediator;

namespace CaseTransfer.Application.Allocations;

/// <summary>The NPS organisation that proposed the allocation (or the NPS above it) withdraws it before a decision.</summary>
[Authorise(Roles.Allocator)]
public sealed record WithdrawAllocation(Guid Id, string? Text, IfMatch? ExpectedVersion)
    : AllocationTextAction(Id, Text, ExpectedVersion), ICommand<AllocationView>
{
    [JsonIgnore]
    public override string? AuditSummary => "allocation withdrawn";
}

public sealed class WithdrawAllocationValidator : AllocationTextActionValidator<WithdrawAllocation>;

public sealed class WithdrawAllocationHandler(AllocationChanges changes, ICaller caller, TimeProvider clock)
    : ICommandHandler<WithdrawAllocation, AllocationView>
{
    public async ValueTask<AllocationView> Handle(WithdrawAllocation command, CancellationToken cancellationToken) =>
        await changes.ApplyAsync(command, AllocationSide.Proposer,
            allocation => allocation.Withdraw(caller.UserId, clock.GetUtcNow(), command.Text), cancellationToken);
}
