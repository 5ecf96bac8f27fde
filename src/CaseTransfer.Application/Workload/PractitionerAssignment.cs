using System.Text.Json;
using System.Text.Json.Serialization;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Organisations;
using CaseTransfer.Domain.Workload;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Workload;

/// <summary>The workload figures a person saw on screen when they chose to give a case to someone over capacity.</summary>
/// <param name="IsOverCapacity">
/// Taken as sent and kept with the rest, so that the <c>current</c> figures of a practitioner-over-capacity answer can be
/// sent back as they are; not needed.
/// </param>
public sealed record CapacityAcknowledgement(
    decimal CapacityPercent,
    decimal Points,
    decimal AvailablePoints,
    int CaseCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? IsOverCapacity = null);

/// <summary>
/// The one gate every giving of a case to a practitioner passes (naming a responsible officer, accepting an
/// allocation): the practitioner works for the organisation that will hold the case, is not excluded from it (and is
/// on its restriction list if it has one), and either has room or the caller acknowledged the figures. Returns the
/// acknowledgement to store, as JSON: the figures on screen, the figures computed at that moment, who and when.
/// </summary>
public sealed class PractitionerAssignment(IAppDbContext db, Caseloads caseloads, ICaller caller, TimeProvider clock)
{
    public async Task<(Practitioner Practitioner, string? Acknowledgement)> PrepareAsync(
        Case @case, string organisationCode, Guid practitionerId, CapacityAcknowledgement? acknowledged, CancellationToken cancellationToken) =>
        await PrepareAsync(
            @case,
            organisationCode,
            await db.Practitioners.AsNoTracking().SingleOrDefaultAsync(p => p.Id == practitionerId, cancellationToken),
            acknowledged,
            cancellationToken);

    /// <summary>As above, for a practitioner the caller has already read by id (null when there is none).</summary>
    public async Task<(Practitioner Practitioner, string? Acknowledgement)> PrepareAsync(
        Case @case, string organisationCode, Practitioner? named, CapacityAcknowledgement? acknowledged, CancellationToken cancellationToken)
    {
        var practitioner = named ?? throw new ValidationException([new ValidationFailure("practitionerId", "is not a known practitioner")]);
        if (practitioner.OrganisationCode != organisationCode)
        {
            throw new DomainRuleViolation(
                "responsible-officer-outside-holder", "The responsible officer must work for the organisation that holds the case.");
        }

        if (@case.HasAccessLimits)
        {
            var limits = await db.CaseAccessLimits.AsNoTracking().Where(l => l.CaseId == @case.Id && l.RemovedAt == null).ToListAsync(cancellationToken);
            new AccessLists(limits).EnsureMayHold(practitioner.StaffCode);
        }

        if (@case.ResponsibleOfficerId == practitioner.Id)
        {
            return (practitioner, null); // Already theirs: nothing is added to their caseload.
        }

        var today = caseloads.Today;
        var model = await caseloads.ModelAsync(cancellationToken);
        var before = (await caseloads.OfAsync(model, [practitioner], today, cancellationToken))[practitioner.Id];
        var points = model.PointsFor(@case, today);
        var check = new CapacityCheck(practitioner.Name, points, before, before.With(points));
        if (!check.NeedsAcknowledgement)
        {
            return (practitioner, null);
        }

        if (acknowledged is null)
        {
            throw check.Refusal();
        }

        return (practitioner, JsonSerializer.Serialize(
            new
            {
                practitionerId = practitioner.Id,
                acknowledgedBy = caller.UserId,
                acknowledgedByName = caller.UserName,
                acknowledgedByOrganisation = caller.OrganisationCode,
                acknowledgedAt = clock.GetUtcNow(),
                onScreen = acknowledged,
                computed = new { casePoints = points, before = check.Before, after = check.After },
            },
            AppJson.Options));
    }
}

/// <summary>Shape only: the figures a screen can show are never negative.</summary>
public sealed class CapacityAcknowledgementValidator : AbstractValidator<CapacityAcknowledgement>
{
    public CapacityAcknowledgementValidator()
    {
        RuleFor(a => a.CapacityPercent).GreaterThanOrEqualTo(0).WithMessage("must not be negative");
        RuleFor(a => a.Points).GreaterThanOrEqualTo(0).WithMessage("must not be negative");
        RuleFor(a => a.AvailablePoints).GreaterThanOrEqualTo(0).WithMessage("must not be negative");
        RuleFor(a => a.CaseCount).GreaterThanOrEqualTo(0).WithMessage("must not be negative");
    }
}
