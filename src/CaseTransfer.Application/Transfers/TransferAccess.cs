using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Organisations;
using FluentValidation;

namespace CaseTransfer.Application.Transfers;

/// <summary>
/// Bulk transfers move whole caseloads across the divide, so they are the national NPS's to order and to read:
/// the roles (admin, manager) come from the message; the organisation is checked here.
/// </summary>
public sealed class TransferAccess(CaseAccess cases)
{
    public async Task EnsureNationalAsync(CancellationToken cancellationToken)
    {
        if ((await cases.CallerOrganisationAsync(cancellationToken))?.Kind != OrganisationKind.Nps)
        {
            throw new ForbiddenException("Bulk transfers are ordered and read by the national NPS only.");
        }
    }
}

public static class TransferValidation
{
    public static IRuleBuilderOptions<T, string?> MustBeOrganisationCode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("is required")
            .MaximumLength(Organisation.CodeMaxLength).WithMessage($"must be at most {Organisation.CodeMaxLength} characters");
}
