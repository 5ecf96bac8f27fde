using System.Text.Json.Serialization;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using Mediator;

namespace CaseTransfer.Application.Allocations;

/// <summary>
/// A second NPS manager approves an override, which sends it to the provider with a fresh deadline. The approver's
/// words, if any, go into the audit entry as its justification.
/// </summary>
[Authorise(Roles.Manager)]
public sealed record ApproveAllocation(Guid Id, string? Text, IfMatch? ExpectedVersion)
    : AllocationTextAction(Id, Text, ExpectedVersion), ICommand<AllocationView>, IAuditedCommand
{
    [JsonIgnore]
    public override string? AuditSummary => "allocation override approved";

    [JsonIgnore]
    string? IAuditedCommand.Justification => Text;
}

public sealed class ApproveAllocationValidator : AllocationTextActionValidator<ApproveAllocation>;

public sealed class ApproveAllocationHandler(AllocationChanges changes, AllocationOptions options, ICaller caller, TimeProvider clock)
    : ICommandHandler<ApproveAllocation, AllocationView>
{
    public async ValueTask<AllocationView> Handle(ApproveAllocation command, CancellationToken cancellationToken) =>
        await changes.ApplyAsync(command, AllocationSide.Proposer, allocation =>
        {
            var now = clock.GetUtcNow();
            allocation.Approve(caller.UserId, now, options.DueBy(now));
        }, cancellationToken);
}
