using System.Text.Json.Serialization;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using FluentValidation;
using Mediator;

namespace CaseTransfer.Application.Allocations;

/// <summary>A second NPS manager refuses an override, saying why; it is never sent and the case stays with the NPS.</summary>
[Authorise(Roles.Manager)]
public sealed record RefuseAllocation(Guid Id, string? Text, long? ExpectedVersion) : ICommand<AllocationView>, IVersionedCommand, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => "allocation override refused";
}

public sealed class RefuseAllocationValidator : AbstractValidator<RefuseAllocation>
{
    public RefuseAllocationValidator()
    {
        RuleFor(c => c.Id).MustBeAllocationId();
        RuleFor(c => c.Text).NotEmpty().WithMessage("is required").MustBeAllocationText();
    }
}

public sealed class RefuseAllocationHandler(AllocationChanges changes, ICaller caller, TimeProvider clock)
    : ICommandHandler<RefuseAllocation, AllocationView>
{
    public async ValueTask<AllocationView> Handle(RefuseAllocation command, CancellationToken cancellationToken) =>
        await changes.ApplyAsync(command.Id, AllocationSide.Proposer, command.ExpectedVersion, allocation =>
        {
            allocation.Refuse(caller.UserId, clock.GetUtcNow(), command.Text!);
            return Task.CompletedTask;
        }, cancellationToken);
}
