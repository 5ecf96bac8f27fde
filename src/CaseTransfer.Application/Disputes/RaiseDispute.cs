using System.Text.Json.Serialization;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Disputes;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Disputes;

/// <summary>
/// A team manager or head of service of either party disputes a decision, stating grounds: a provider's rejection of
/// an allocation, the NPS region's decline of an escalation, or (the NPS only) an escalation it accepted and considers
/// unfounded. The Local stage begins. One open dispute per subject.
/// </summary>
/// <param name="SubjectKind">What is disputed: AllocationRejection (a Rejected allocation), EscalationDecline (a Declined escalation), UnfoundedEscalation (an Accepted escalation; NPS only).</param>
/// <param name="SubjectId">The allocation's or escalation's id.</param>
/// <param name="Grounds">Why, in words: kept as the first statement.</param>
[Authorise(Roles.TeamManager, Roles.HeadOfService)]
public sealed record RaiseDispute(DisputeSubjectKind? SubjectKind, Guid? SubjectId, string? Grounds) : ICommand<DisputeView>, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => "dispute raised";
}

public sealed class RaiseDisputeValidator : AbstractValidator<RaiseDispute>
{
    public RaiseDisputeValidator()
    {
        RuleFor(c => c.SubjectKind).Required();
        RuleFor(c => c.SubjectId).Required().NotEqual(Guid.Empty).WithMessage("is required");
        RuleFor(c => c.Grounds).NotEmpty().WithMessage("is required").MustBeDisputeText();
    }
}

public sealed class RaiseDisputeHandler(IAppDbContext db, CaseAccess cases, DisputeAccess access, DisputeOptions options, TimeProvider clock)
    : ICommandHandler<RaiseDispute, DisputeView>
{
    public async ValueTask<DisputeView> Handle(RaiseDispute command, CancellationToken cancellationToken)
    {
        var codes = await cases.VisibleHolderCodesAsync(cancellationToken);
        var id = command.SubjectId!.Value;
        var subject = command.SubjectKind!.Value switch
        {
            DisputeSubjectKind.AllocationRejection => DisputeSubject.RejectedAllocation(
                await db.Allocations.AsNoTracking()
                    .SingleOrDefaultAsync(a => a.Id == id && (codes.Contains(a.FromOrganisationCode) || codes.Contains(a.ToOrganisationCode)), cancellationToken)
                ?? throw new NotFoundException("Allocation", id.ToString())),
            var kind => DisputeSubject.Escalation(
                await db.Escalations.AsNoTracking()
                    .SingleOrDefaultAsync(e => e.Id == id && (codes.Contains(e.ProviderCode) || codes.Contains(e.NpsRegionCode)), cancellationToken)
                ?? throw new NotFoundException("Escalation", id.ToString()),
                kind),
        };

        // Checked first for a clear answer; two raisings racing past it are stopped by the unique open-subject index.
        if (await db.Disputes.AnyAsync(d => d.OpenSubjectId == subject.Id, cancellationToken))
        {
            throw new DomainRuleViolation("dispute-already-open", $"The {subject.Kind} {subject.Id} is already disputed; add statements to the open dispute.");
        }

        var nps = codes.Contains(subject.NpsOrganisationCode);
        var now = clock.GetUtcNow();
        var dispute = Dispute.Raise(
            Guid.CreateVersion7(now),
            subject,
            nps ? subject.NpsOrganisationCode : subject.ProviderCode,
            nps,
            access.Actor(),
            command.Grounds!,
            now,
            options.Deadlines);
        db.Disputes.Add(dispute);
        return DisputeView.Changed(dispute, null, now);
    }
}
