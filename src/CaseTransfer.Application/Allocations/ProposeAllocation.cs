using System.Text.Json.Serialization;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Allocations;

/// <summary>
/// The NPS proposes to hand a case it holds to a provider. The rules decide on the case's facts first; a proposal
/// against their outcome (or on a provisional one) is an override that waits for a second manager's approval.
/// Proposing discloses the case to the provider, so the audit entry is a disclosure naming it.
/// </summary>
[Authorise(Roles.Allocator)]
public sealed record ProposeAllocation(
    string Crn,
    string ToOrganisation,
    AllocationReason? Reason,
    string? ReasonText,
    string? Justification) : ICommand<AllocationView>, ICaseMessage, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Disclosure;

    [JsonIgnore]
    public string? AuditSummary => "allocation proposed";

    [JsonIgnore]
    public string? Recipients => ToOrganisation;

    [JsonIgnore]
    string? IAuditedCommand.Justification => Justification;
}

public sealed class ProposeAllocationValidator : AbstractValidator<ProposeAllocation>
{
    public ProposeAllocationValidator()
    {
        RuleFor(c => c.Crn).MustBeCrn();
        RuleFor(c => c.ToOrganisation).NotEmpty().WithMessage("is required")
            .MaximumLength(Organisation.CodeMaxLength).WithMessage($"must be at most {Organisation.CodeMaxLength} characters");
        RuleFor(c => c.Reason).Required();
        RuleFor(c => c.ReasonText).NotEmpty().WithMessage("is required when the reason is Other").When(c => c.Reason == AllocationReason.Other);
        RuleFor(c => c.ReasonText).MustBeAllocationText();
        RuleFor(c => c.Justification).MustBeAllocationText();
    }
}

public sealed class ProposeAllocationHandler(
    IAppDbContext db,
    CaseAccess cases,
    RulesetCatalogue rulesets,
    AllocationViews views,
    AllocationOptions options,
    StoredRulesetHashes storedHashes,
    ICaller caller,
    TimeProvider clock) : ICommandHandler<ProposeAllocation, AllocationView>
{
    public async ValueTask<AllocationView> Handle(ProposeAllocation command, CancellationToken cancellationToken)
    {
        // Only the NPS allocates; a provider is refused whatever the CRN, so the answer says nothing about the case.
        if ((await cases.CallerOrganisationAsync(cancellationToken))?.IsNps != true)
        {
            throw new ForbiddenException("Only the NPS proposes allocations; a provider accepts or rejects them.");
        }

        var provider = await cases.OrganisationAsync(command.ToOrganisation, cancellationToken);
        if (provider is not { Kind: OrganisationKind.Provider })
        {
            throw new ValidationException([new ValidationFailure("toOrganisation", $"'{command.ToOrganisation}' is not a known provider")]);
        }

        var crn = Crn.Parse(command.Crn);
        // The case's facts, its area and current risk, and the open-allocation check in one read; it answers only for
        // a case the caller may see.
        var (subject, open) = await CaseFactsReader.ReadVisibleAsync(db, cases, crn, cancellationToken)
            ?? throw new NotFoundException("Case", command.Crn);

        // Checked first for a clear answer; two proposals racing past it are stopped by the unique open-case index.
        if (open)
        {
            throw new DomainRuleViolation("allocation-already-open", $"Case {command.Crn} already has an open allocation; withdraw it or wait for its decision.");
        }

        var decision = rulesets.Active.Decide(subject.Facts, subject.Area);

        var now = clock.GetUtcNow();
        await RulesetStore.StageMissingAsync(db, [rulesets.Active], now, storedHashes, cancellationToken);
        var allocation = Allocation.Propose(
            Guid.CreateVersion7(now),
            subject.CaseId,
            crn,
            subject.Area.Code,
            subject.HolderOrganisationCode,
            provider.Code,
            command.Reason!.Value,
            command.ReasonText,
            StoredDecisions.For(decision, subject.Facts),
            command.Justification,
            caller.UserId,
            now,
            options.DueBy(now));
        db.Allocations.Add(allocation);
        return views.Changed(allocation, null, subject.View);
    }
}
