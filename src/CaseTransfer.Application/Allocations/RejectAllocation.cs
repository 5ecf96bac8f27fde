using System.Text.Json.Serialization;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Auditing;
using FluentValidation;
using Mediator;

namespace CaseTransfer.Application.Allocations;

/// <summary>The provider rejects the allocation with a coded reason; the case stays with the NPS.</summary>
[Authorise(Roles.Allocator, Roles.CaseManager)]
public sealed record RejectAllocation(Guid Id, AllocationRejectionReason? Reason, string? Text, IfMatch? ExpectedVersion)
    : ICommand<AllocationView>, IVersionedCommand, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => $"allocation rejected: {Reason}";
}

public sealed class RejectAllocationValidator : AbstractValidator<RejectAllocation>
{
    public RejectAllocationValidator()
    {
        RuleFor(c => c.Id).MustBeAllocationId();
        RuleFor(c => c.Reason).Required();
        RuleFor(c => c.Text).NotEmpty().WithMessage("is required when the reason is Other").When(c => c.Reason == AllocationRejectionReason.Other);
        RuleFor(c => c.Text).MustBeAllocationText();
    }
}

public sealed class RejectAllocationHandler(AllocationChanges changes, ICaller caller, TimeProvider clock)
    : ICommandHandler<RejectAllocation, AllocationView>
{
    public async ValueTask<AllocationView> Handle(RejectAllocation command, CancellationToken cancellationToken) =>
        await changes.ApplyAsync(command.Id, AllocationSide.Receiver, command.ExpectedVersion, allocation =>
        {
            allocation.Reject(caller.UserId, clock.GetUtcNow(), command.Reason!.Value, command.Text);
            return Task.CompletedTask;
        }, cancellationToken);
}
