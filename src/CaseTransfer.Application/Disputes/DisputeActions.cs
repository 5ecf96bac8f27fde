using System.Text.Json.Serialization;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Workload;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Disputes;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Disputes;

/// <summary>An action on one dispute (see <see cref="AlterationCommand"/>).</summary>
public abstract record DisputeAction(Guid Id, IfMatch? ExpectedVersion) : AlterationCommand(ExpectedVersion), ICommand<DisputeView>;

/// <summary>The shape every dispute action shares: a dispute id.</summary>
public abstract class DisputeActionValidator<T> : AbstractValidator<T>
    where T : DisputeAction
{
    protected DisputeActionValidator() => RuleFor(c => c.Id).MustBeDisputeId();
}

/// <summary>The one shape of an action that changes only the dispute: find it for a party, check its version, act, answer the new view.</summary>
public sealed class DisputeChanges(DisputeAccess access, TimeProvider clock)
{
    public async Task<DisputeView> ApplyAsync(DisputeAction action, Action<Dispute, DisputeActor, DateTimeOffset> change, CancellationToken cancellationToken)
    {
        var (dispute, actor) = await access.GetForChangeAsync(action.Id, action.ExpectedVersion, cancellationToken);
        var before = dispute.Stage;
        var now = clock.GetUtcNow();
        change(dispute, actor, now);
        return DisputeView.Changed(dispute, before, now);
    }
}

/// <summary>A statement of either party, appended after every earlier one, with its author and instant. Statements are never changed or removed.</summary>
[Authorise(Roles.TeamManager, Roles.HeadOfService, Roles.CaseManager, Roles.Allocator, Roles.EscalationDecider)]
public sealed record AddDisputeStatement(Guid Id, string? Text, IfMatch? ExpectedVersion) : DisputeAction(Id, ExpectedVersion)
{
    [JsonIgnore]
    public override string? AuditSummary => "dispute statement added";
}

public sealed class AddDisputeStatementValidator : DisputeActionValidator<AddDisputeStatement>
{
    public AddDisputeStatementValidator() => RuleFor(c => c.Text).NotEmpty().WithMessage("is required").MustBeDisputeText();
}

public sealed class AddDisputeStatementHandler(DisputeChanges changes) : ICommandHandler<AddDisputeStatement, DisputeView>
{
    public async ValueTask<DisputeView> Handle(AddDisputeStatement command, CancellationToken cancellationToken) =>
        await changes.ApplyAsync(command, (dispute, actor, at) => dispute.AddStatement(actor, command.Text!, at), cancellationToken);
}

/// <summary>A team manager or head of service of either party takes the dispute up to the heads of service before the Local stage's limit.</summary>
[Authorise(Roles.TeamManager, Roles.HeadOfService)]
public sealed record MoveDisputeUp(Guid Id, IfMatch? ExpectedVersion) : DisputeAction(Id, ExpectedVersion)
{
    [JsonIgnore]
    public override string? AuditSummary => "dispute moved up";
}

public sealed class MoveDisputeUpValidator : DisputeActionValidator<MoveDisputeUp>;

public sealed class MoveDisputeUpHandler(DisputeChanges changes, DisputeOptions options) : ICommandHandler<MoveDisputeUp, DisputeView>
{
    public async ValueTask<DisputeView> Handle(MoveDisputeUp command, CancellationToken cancellationToken) =>
        await changes.ApplyAsync(command, (dispute, actor, at) => dispute.MoveUp(actor.UserId, at, options.Deadlines), cancellationToken);
}

/// <summary>
/// Ends the dispute with a coded outcome (Agreed needs a text) and, where the case changes hands, the new holder's
/// responsible officer (a practitioner of the other party), through the same workload gate and holder change as an
/// allocation's or escalation's acceptance. At Local a team manager or head of service of either party records it; at
/// Senior only a head of service.
/// </summary>
/// <param name="NewHolder">The party that is to hold the case, when the outcome moves it; leave out to leave the case where it is.</param>
/// <param name="ResponsibleOfficerId">With <paramref name="NewHolder"/>: the practitioner there who holds the case.</param>
[Authorise(Roles.TeamManager, Roles.HeadOfService)]
public sealed record ResolveDispute(
    Guid Id,
    DisputeOutcome? Outcome,
    string? Text,
    string? NewHolder,
    Guid? ResponsibleOfficerId,
    CapacityAcknowledgement? CapacityAcknowledgement,
    IfMatch? ExpectedVersion) : DisputeAction(Id, ExpectedVersion)
{
    [JsonIgnore]
    public override string? AuditSummary => $"dispute resolved: {Outcome}";
}

public sealed class ResolveDisputeValidator : DisputeActionValidator<ResolveDispute>
{
    public ResolveDisputeValidator()
    {
        RuleFor(c => c.Outcome).Required();
        RuleFor(c => c.Text).MustBeDisputeText();
        RuleFor(c => c.Text).NotEmpty().WithMessage("is required when the outcome is Agreed").When(c => c.Outcome == DisputeOutcome.Agreed);
        RuleFor(c => c.ResponsibleOfficerId).NotNull().WithMessage("is required with newHolder").When(c => c.NewHolder is not null);
        RuleFor(c => c.ResponsibleOfficerId).Null().WithMessage("needs newHolder").When(c => c.NewHolder is null);
        RuleFor(c => c.NewHolder).MaximumLength(Domain.Organisations.Organisation.CodeMaxLength);
        RuleFor(c => c.CapacityAcknowledgement!).SetValidator(new CapacityAcknowledgementValidator()).When(c => c.CapacityAcknowledgement is not null);
    }
}

public sealed class ResolveDisputeHandler(IAppDbContext db, DisputeAccess access, PractitionerAssignment assignment, TimeProvider clock)
    : ICommandHandler<ResolveDispute, DisputeView>
{
    public async ValueTask<DisputeView> Handle(ResolveDispute command, CancellationToken cancellationToken)
    {
        var (dispute, actor) = await access.GetForChangeAsync(command.Id, command.ExpectedVersion, cancellationToken);
        var before = dispute.Stage;
        var now = clock.GetUtcNow();
        var outcome = command.Outcome!.Value;

        // The stage and the resolver's level first, so a closed dispute is refused by name before any figures are read.
        dispute.EnsureResolvable(access.CallerIsHeadOfService, outcome, command.Text);
        if (command.NewHolder is not { } newHolder)
        {
            dispute.Resolve(actor.UserId, access.CallerIsHeadOfService, now, outcome, command.Text);
            return DisputeView.Changed(dispute, before, now);
        }

        // Where the case may go first, so a wrong holder is refused by name before any practitioner's figures are read.
        var @case = await db.Cases.Include(c => c.Holdings).SingleAsync(c => c.Id == dispute.CaseId, cancellationToken);
        dispute.EnsureMayMove(@case, newHolder);
        var (practitioner, acknowledgement) = await assignment.PrepareAsync(
            @case, newHolder, command.ResponsibleOfficerId!.Value, command.CapacityAcknowledgement, cancellationToken);
        dispute.Resolve(@case, actor.UserId, access.CallerIsHeadOfService, now, outcome, command.Text, practitioner, acknowledgement);
        return DisputeView.Changed(dispute, before, now);
    }
}
