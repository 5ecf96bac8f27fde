using System.Text.Json.Serialization;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.VictimLiaison;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.VictimLiaison;

/// <summary>The case's victim liaison contact reference: what a provider quotes to the unit.</summary>
public sealed record VictimContactView(string Crn, string ContactReference, string SetBy, string SetByOrganisation, DateTimeOffset SetAt, long Version) : IAuditedResult
{
    [JsonIgnore]
    public string ResourceType => "victim-contact";

    [JsonIgnore]
    string IAuditedResult.ResourceId => Crn;

    [JsonIgnore]
    long? IAuditedResult.ResourceVersion => Version;

    public static VictimContactView From(VictimLiaisonRecord r) => new(r.Crn.Value, r.ContactReference, r.SetBy, r.SetByOrganisation, r.SetAt, r.Version);
}

/// <summary>The NPS victim liaison unit sets the case's contact reference (replacing any earlier one).</summary>
/// <param name="Reference">Upper-case letters, digits, '/' and '-', 3 to 30 characters, starting with a letter or digit: <c>VLU-NW/2026/0042</c>.</param>
[Authorise(Roles.VictimLiaison)]
public sealed record SetVictimContactReference(string Crn, string? Reference) : ICommand<VictimContactView>, ICaseMessage, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => "victimContactReference";
}

public sealed class SetVictimContactReferenceValidator : AbstractValidator<SetVictimContactReference>
{
    public SetVictimContactReferenceValidator()
    {
        RuleFor(c => c.Crn).MustBeCrn();
        RuleFor(c => c.Reference).NotEmpty().WithMessage("is required")
            .Must(VictimLiaisonRecord.IsValidContactReference).WithMessage($"must match {VictimLiaisonRecord.ContactReferencePattern}");
    }
}

public sealed class SetVictimContactReferenceHandler(IAppDbContext db, VictimLiaisonAccess access, ICaller caller, TimeProvider clock)
    : ICommandHandler<SetVictimContactReference, VictimContactView>
{
    public async ValueTask<VictimContactView> Handle(SetVictimContactReference command, CancellationToken cancellationToken)
    {
        var (caseId, crn) = await access.CaseForUnitAsync(command.Crn, cancellationToken);
        var now = clock.GetUtcNow();
        var record = await db.VictimLiaisonRecords.SingleOrDefaultAsync(r => r.CaseId == caseId, cancellationToken);
        if (record is null)
        {
            record = VictimLiaisonRecord.Start(caseId, crn, command.Reference!, caller.UserId, caller.OrganisationCode, now);
            db.VictimLiaisonRecords.Add(record);
        }
        else
        {
            record.SetContactReference(command.Reference!, caller.UserId, caller.OrganisationCode, now);
        }

        return VictimContactView.From(record);
    }
}
