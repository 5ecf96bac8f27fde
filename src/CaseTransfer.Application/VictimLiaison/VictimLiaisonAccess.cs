using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Identifiers;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.VictimLiaison;

/// <summary>
/// Who may do victim liaison work: a caller with the victim-liaison role whose organisation is the NPS or an NPS
/// region. The unit works nationally, so it addresses any existing case by CRN, whoever holds it.
/// </summary>
public sealed class VictimLiaisonAccess(IAppDbContext db, CaseAccess cases, ICaller caller)
{
    /// <summary>Whether the caller is the NPS victim liaison unit.</summary>
    public async Task<bool> IsUnitAsync(CancellationToken cancellationToken) =>
        caller.Roles.Contains(Roles.VictimLiaison) && (await cases.CallerOrganisationAsync(cancellationToken))?.IsNps == true;

    /// <summary>
    /// For the unit's own writes: 403 unless the caller is the unit, decided before the case is looked for, so the
    /// answer is the same for every CRN and says nothing of which cases exist; then the case, 404 when unknown.
    /// </summary>
    public async Task<(Guid Id, Crn Crn)> CaseForUnitAsync(string crn, CancellationToken cancellationToken)
    {
        if (!await IsUnitAsync(cancellationToken))
        {
            throw new ForbiddenException("Victim liaison is the NPS victim liaison unit's: it needs the victim-liaison role in an NPS organisation.");
        }

        return await AnyCaseAsync(crn, cancellationToken);
    }

    /// <summary>
    /// For the victims' details: the case, to the unit only. Anyone else gets the 404 of a case they cannot see,
    /// never a 403, so the answer does not tell a provider that a case (or a victim on it) exists.
    /// </summary>
    public async Task<Guid> CaseForVictimDetailsAsync(string crn, CancellationToken cancellationToken) =>
        await IsUnitAsync(cancellationToken)
            ? (await AnyCaseAsync(crn, cancellationToken)).Id
            : throw new NotFoundException("Case", crn);

    /// <summary>
    /// For reading the conditions: the unit nationally; anyone else as for the case's history (the holder, or a
    /// handover grant), not through a share, whose recipients the conditions do not bind (the summary leaves them out too).
    /// </summary>
    public async Task<Guid> CaseForConditionsAsync(string crn, CancellationToken cancellationToken) =>
        await IsUnitAsync(cancellationToken)
            ? (await AnyCaseAsync(crn, cancellationToken)).Id
            : await cases.GetHistoryReadableIdAsync(crn, cancellationToken);

    private async Task<(Guid Id, Crn Crn)> AnyCaseAsync(string crn, CancellationToken cancellationToken)
    {
        var id = Crn.Parse(crn);
        var found = await db.Cases.Where(c => c.Crn == id).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(cancellationToken);
        return found is { } caseId ? (caseId, id) : throw new NotFoundException("Case", crn);
    }
}
