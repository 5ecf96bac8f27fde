using System.Text.Json.Serialization;
using CaseTransfer.Application.Common;
using FluentValidation;
using Mediator;

namespace CaseTransfer.Application.Allocations;

/// <summary>A second NPS manager refuses an override, saying why; it is never sent and the case stays with the NPS.</summary>
[Authorise(Roles.Manager)]
public sealed record RefuseAllocation(Guid Id, string? Text, IfMatch? ExpectedVersion)
    : AllocationTextAction(Id, Text, ExpectedVersion), ICommand<AllocationView>
{
    [JsonIgnore]
    public override string? AuditSummary => "allocation override refused";
}

public sealed class RefuseAllocationValidator : AllocationTextActionValidator<RefuseAllocation>
{
    public RefuseAllocationValidator() => RuleFor(c => c.Text).NotEmpty().WithMessage("is required");
}

public sealed class RefuseAllocationHandler(AllocationChanges changes, ICaller caller, TimeProvider clock)
    : ICommandHandler<RefuseAllocation, AllocationView>
{
    public async ValueTask<AllocationView> Handle(RefuseAllocation command, CancellationToken cancellationToken) =>
        await changes.ApplyAsync(command, AllocationSide.Proposer,
            allocation => allocation.Refuse(caller.UserId, clock.GetUtcNow(), command.Text!), cancellationToken);
}
