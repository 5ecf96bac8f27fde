using System.Text.Json.Serialization;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using FluentValidation;
using Mediator;

namespace CaseTransfer.Application.Allocations;

/// <summary>The NPS organisation that proposed the allocation (or the NPS above it) withdraws it before a decision.</summary>
[Authorise(Roles.Allocator)]
public sealed record WithdrawAllocation(Guid Id, string? Text, long? ExpectedVersion) : ICommand<AllocationView>, IVersionedCommand, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => "allocation withdrawn";
}

public sealed class WithdrawAllocationValidator : AbstractValidator<WithdrawAllocation>
{
    public WithdrawAllocationValidator()
    {
        RuleFor(c => c.Id).MustBeAllocationId();
        RuleFor(c => c.Text).MustBeAllocationText();
    }
}

public sealed class WithdrawAllocationHandler(AllocationChanges changes, ICaller caller, TimeProvider clock)
    : ICommandHandler<WithdrawAllocation, AllocationView>
{
    public async ValueTask<AllocationView> Handle(WithdrawAllocation command, CancellationToken cancellationToken) =>
        await changes.ApplyAsync(command.Id, AllocationSide.Proposer, command.ExpectedVersion, allocation =>
        {
            allocation.Withdraw(caller.UserId, clock.GetUtcNow(), command.Text);
            return Task.CompletedTask;
        }, cancellationToken);
}
