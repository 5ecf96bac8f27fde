using System.Text.Json.Serialization;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.VictimLiaison;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.VictimLiaison;

/// <summary>A victim condition as the holder and the unit read it: what is forbidden, where, and when.</summary>
/// <param name="Current">In force today: not ended, and not past its end date.</param>
public sealed record VictimConditionView(
    Guid Id,
    string Crn,
    VictimConditionKind Kind,
    string Description,
    string? Place,
    DateOnly StartsOn,
    DateOnly? EndsOn,
    bool Current,
    string RecordedBy,
    string RecordedByOrganisation,
    DateTimeOffset RecordedAt,
    string? EndedBy,
    DateTimeOffset? EndedAt,
    long Version) : IAuditedResult
{
    [JsonIgnore]
    public string ResourceType => "victim-condition";

    [JsonIgnore]
    string IAuditedResult.ResourceId => Id.ToString();

    [JsonIgnore]
    long? IAuditedResult.ResourceVersion => Version;

    [JsonIgnore]
    string? IAuditedResult.Crn => Crn;

    public static VictimConditionView From(VictimCondition c, DateOnly today) => new(
        c.Id, c.Crn.Value, c.Kind, c.Description, c.Place, c.StartsOn, c.EndsOn, c.CurrentOn(today),
        c.RecordedBy, c.RecordedByOrganisation, c.RecordedAt, c.EndedBy, c.EndedAt, c.Version);
}

/// <summary>The NPS victim liaison unit records a condition the holding provider must act on.</summary>
/// <param name="Kind">ExclusionZone (with a place), NoContact or ReportingRestriction.</param>
/// <param name="Description">What the condition forbids, in words (at most 1000 characters).</param>
/// <param name="Place">The named place or area an exclusion zone covers (at most 200 characters); required for ExclusionZone.</param>
/// <param name="StartsOn">The day it applies from.</param>
/// <param name="EndsOn">The last day it applies, when it has one (not before startsOn).</param>
[Authorise(Roles.VictimLiaison)]
public sealed record RecordVictimCondition(string Crn, VictimConditionKind? Kind, string? Description, string? Place, DateOnly? StartsOn, DateOnly? EndsOn)
    : ICommand<VictimConditionView>, ICaseMessage, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    /// <summary>The kind only: the description and place are read from the conditions with the reader's own rights.</summary>
    [JsonIgnore]
    public string? AuditSummary => $"victimConditions: +{Kind}";
}

public sealed class RecordVictimConditionValidator : AbstractValidator<RecordVictimCondition>
{
    public RecordVictimConditionValidator()
    {
        RuleFor(c => c.Crn).MustBeCrn();
        RuleFor(c => c.Kind).Required().IsInEnum();
        RuleFor(c => c.Description).NotEmpty().WithMessage("is required")
            .MaximumLength(VictimCondition.DescriptionMaxLength).WithMessage($"must be at most {VictimCondition.DescriptionMaxLength} characters");
        RuleFor(c => c.Place).NotEmpty().WithMessage("is required for an ExclusionZone").When(c => c.Kind == VictimConditionKind.ExclusionZone);
        RuleFor(c => c.Place).MaximumLength(VictimCondition.PlaceMaxLength).WithMessage($"must be at most {VictimCondition.PlaceMaxLength} characters");
        RuleFor(c => c.StartsOn).Required();
        RuleFor(c => c.EndsOn).GreaterThanOrEqualTo(c => c.StartsOn).WithMessage("must not be before startsOn").When(c => c.EndsOn is not null && c.StartsOn is not null);
    }
}

public sealed class RecordVictimConditionHandler(IAppDbContext db, VictimLiaisonAccess access, ICaller caller, TimeProvider clock)
    : ICommandHandler<RecordVictimCondition, VictimConditionView>
{
    public async ValueTask<VictimConditionView> Handle(RecordVictimCondition command, CancellationToken cancellationToken)
    {
        var (caseId, crn) = await access.CaseForUnitAsync(command.Crn, cancellationToken);
        var now = clock.GetUtcNow();
        var condition = VictimCondition.Record(
            Guid.CreateVersion7(now), caseId, crn,
            new VictimConditionFacts(command.Kind!.Value, command.Description!, command.Place, command.StartsOn!.Value, command.EndsOn),
            caller.UserId, caller.OrganisationCode, now);
        db.VictimConditions.Add(condition);
        return VictimConditionView.From(condition, DateOnly.FromDateTime(now.UtcDateTime));
    }
}

/// <summary>The NPS victim liaison unit ends a condition: it no longer applies. Kept, marked ended.</summary>
[Authorise(Roles.VictimLiaison)]
public sealed record EndVictimCondition(string Crn, Guid Id, IfMatch? ExpectedVersion) : AlterationCommand(ExpectedVersion), ICommand<VictimConditionView>, ICaseMessage
{
    [JsonIgnore]
    public override string? AuditSummary => "victimConditions: ended";
}

public sealed class EndVictimConditionValidator : AbstractValidator<EndVictimCondition>
{
    public EndVictimConditionValidator() => RuleFor(c => c.Crn).MustBeCrn();
}

public sealed class EndVictimConditionHandler(IAppDbContext db, VictimLiaisonAccess access, ICaller caller, TimeProvider clock)
    : ICommandHandler<EndVictimCondition, VictimConditionView>
{
    public async ValueTask<VictimConditionView> Handle(EndVictimCondition command, CancellationToken cancellationToken)
    {
        var (caseId, _) = await access.CaseForUnitAsync(command.Crn, cancellationToken);
        var condition = await db.VictimConditions.SingleOrDefaultAsync(c => c.Id == command.Id && c.CaseId == caseId, cancellationToken)
            ?? throw new NotFoundException("Victim condition", command.Id.ToString());
        IfMatch.Ensure(command.ExpectedVersion, "victim condition", condition.Version);
        var now = clock.GetUtcNow();
        condition.End(caller.UserId, now);
        return VictimConditionView.From(condition, DateOnly.FromDateTime(now.UtcDateTime));
    }
}

/// <summary>The case's victim conditions, current and ended, in the order they start: for whoever reads the case summary, and the unit.</summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Admin, Roles.PartnerSystem, Roles.Manager, Roles.VictimLiaison)]
public sealed record GetVictimConditions(string Crn) : IQuery<IReadOnlyList<VictimConditionView>>, ICaseMessage, IConsultation
{
    public AuditFacts Consulted(object result) =>
        new(AuditOperation.Consultation, nameof(GetVictimConditions), Crn, "victim-conditions", Crn, null, "victim conditions");
}

public sealed class GetVictimConditionsValidator : AbstractValidator<GetVictimConditions>
{
    public GetVictimConditionsValidator() => RuleFor(q => q.Crn).MustBeCrn();
}

public sealed class GetVictimConditionsHandler(IAppDbContext db, VictimLiaisonAccess access, TimeProvider clock)
    : IQueryHandler<GetVictimConditions, IReadOnlyList<VictimConditionView>>
{
    public async ValueTask<IReadOnlyList<VictimConditionView>> Handle(GetVictimConditions query, CancellationToken cancellationToken)
    {
        var caseId = await access.CaseForConditionsAsync(query.Crn, cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var conditions = await db.VictimConditions.AsNoTracking()
            .Where(c => c.CaseId == caseId)
            .OrderBy(c => c.StartsOn).ThenBy(c => c.Id)
            .ToListAsync(cancellationToken);
        return [.. conditions.Select(c => VictimConditionView.From(c, today))];
    }
}
