using System.Text.Json.Serialization;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Escalations;
using FluentValidation;
using Mediator;

namespace CaseTransfer.Application.Escalations;

/// <summary>The one shape of an action on an escalation that changes nothing else: find it for the caller's side, check its version, act, answer the new view.</summary>
public sealed class EscalationChanges(EscalationAccess access, EscalationViews views, ICaller caller, TimeProvider clock)
{
    public async Task<EscalationView> ApplyAsync(
        EscalationAction action, EscalationSide side, Action<Escalation, string, DateTimeOffset> change, CancellationToken cancellationToken)
    {
        var escalation = await access.GetForChangeAsync(action.Id, side, action.ExpectedVersion, cancellationToken);
        var before = escalation.State;
        change(escalation, caller.UserId, clock.GetUtcNow());
        return await views.ChangedAsync(escalation, before, cancellationToken);
    }
}

/// <summary>An action on one escalation (see <see cref="AlterationCommand"/>).</summary>
public abstract record EscalationAction(Guid Id, IfMatch? ExpectedVersion) : AlterationCommand(ExpectedVersion), ICommand<EscalationView>;

/// <summary>The shape every escalation action shares: an escalation id.</summary>
public abstract class EscalationActionValidator<T> : AbstractValidator<T>
    where T : EscalationAction
{
    protected EscalationActionValidator() => RuleFor(c => c.Id).MustBeEscalationId();
}

/// <summary>The NPS region covering the case has the escalation in hand; an emergency's clock stops.</summary>
[Authorise(Roles.EscalationDecider)]
public sealed record AcknowledgeEscalation(Guid Id, IfMatch? ExpectedVersion) : EscalationAction(Id, ExpectedVersion)
{
    [JsonIgnore]
    public override string? AuditSummary => "escalation acknowledged";
}

public sealed class AcknowledgeEscalationValidator : EscalationActionValidator<AcknowledgeEscalation>;

public sealed class AcknowledgeEscalationHandler(EscalationChanges changes) : ICommandHandler<AcknowledgeEscalation, EscalationView>
{
    public async ValueTask<EscalationView> Handle(AcknowledgeEscalation command, CancellationToken cancellationToken) =>
        await changes.ApplyAsync(command, EscalationSide.Decider, (escalation, by, at) => escalation.Acknowledge(by, at), cancellationToken);
}

/// <summary>The NPS region leaves the case with the provider, with a coded reason (Other needs a text).</summary>
[Authorise(Roles.EscalationDecider)]
public sealed record DeclineEscalation(Guid Id, EscalationDeclineReason? Reason, string? Text, IfMatch? ExpectedVersion) : EscalationAction(Id, ExpectedVersion)
{
    [JsonIgnore]
    public override string? AuditSummary => $"escalation declined: {Reason}";
}

public sealed class DeclineEscalationValidator : EscalationActionValidator<DeclineEscalation>
{
    public DeclineEscalationValidator()
    {
        RuleFor(c => c.Reason).Required();
        RuleFor(c => c.Text).MustBeEscalationText();
        RuleFor(c => c.Text).NotEmpty().WithMessage("is required when the reason is Other").When(c => c.Reason == EscalationDeclineReason.Other);
    }
}

public sealed class DeclineEscalationHandler(EscalationChanges changes) : ICommandHandler<DeclineEscalation, EscalationView>
{
    public async ValueTask<EscalationView> Handle(DeclineEscalation command, CancellationToken cancellationToken) =>
        await changes.ApplyAsync(command, EscalationSide.Decider, (escalation, by, at) => escalation.Decline(by, at, command.Reason!.Value, command.Text), cancellationToken);
}

/// <summary>The provider that requested the escalation withdraws it before a decision.</summary>
[Authorise(Roles.CaseManager)]
public sealed record WithdrawEscalation(Guid Id, string? Text, IfMatch? ExpectedVersion) : EscalationAction(Id, ExpectedVersion)
{
    [JsonIgnore]
    public override string? AuditSummary => "escalation withdrawn";
}

public sealed class WithdrawEscalationValidator : EscalationActionValidator<WithdrawEscalation>
{
    public WithdrawEscalationValidator() => RuleFor(c => c.Text).MustBeEscalationText();
}

public sealed class WithdrawEscalationHandler(EscalationChanges changes) : ICommandHandler<WithdrawEscalation, EscalationView>
{
    public async ValueTask<EscalationView> Handle(WithdrawEscalation command, CancellationToken cancellationToken) =>
        await changes.ApplyAsync(command, EscalationSide.Requester, (escalation, by, at) => escalation.Withdraw(by, at, command.Text), cancellationToken);
}
