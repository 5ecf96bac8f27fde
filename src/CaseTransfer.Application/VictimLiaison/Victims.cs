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

/// <summary>A victim's details recorded: the id only, so that not even a replayed response repeats them.</summary>
public sealed record VictimRecorded(Guid Id, string Crn, string RecordedBy, DateTimeOffset RecordedAt, IReadOnlyList<string> FieldsRecorded) : IAuditedResult
{
    [JsonIgnore]
    public string ResourceType => "victim";

    [JsonIgnore]
    string IAuditedResult.ResourceId => Id.ToString();

    [JsonIgnore]
    long? IAuditedResult.ResourceVersion => null;

    /// <summary>Field names only: never a value of the victim's.</summary>
    [JsonIgnore]
    public string? ChangeSummary => $"victims: +1 ({string.Join(", ", FieldsRecorded)})";
}

/// <summary>A victim's details, as only the NPS victim liaison unit reads them.</summary>
public sealed record VictimView(
    Guid Id, string Crn, string Name, string? Address, string? Phone, string? Email, string? Relationship, string? Notes,
    string RecordedBy, string RecordedByOrganisation, DateTimeOffset RecordedAt);

/// <summary>
/// The NPS victim liaison unit records a victim's details on a case. Every role may send it so that the authorisation
/// behaviour's 403 does not tell anyone else the endpoint's cases apart: the handler answers everyone but the unit 404.
/// </summary>
/// <param name="Name">The victim's name (at most 200 characters).</param>
/// <param name="Address">Postal address (at most 500).</param>
/// <param name="Phone">Telephone number (at most 40).</param>
/// <param name="Email">Email address (at most 254).</param>
/// <param name="Relationship">To the person on probation (at most 100).</param>
/// <param name="Notes">The unit's notes (at most 2000).</param>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Auditor, Roles.Admin, Roles.PartnerSystem, Roles.Manager, Roles.TeamManager, Roles.HeadOfService, Roles.VictimLiaison)]
public sealed record RecordVictim(string Crn, string? Name, string? Address, string? Phone, string? Email, string? Relationship, string? Notes)
    : ICommand<VictimRecorded>, ICaseMessage, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => "victims: +1";
}

/// <summary>
/// Shape only, and messages that never repeat what was sent: a victim's details must not come back in an error.
/// </summary>
public sealed class RecordVictimValidator : AbstractValidator<RecordVictim>
{
    public RecordVictimValidator()
    {
        RuleFor(c => c.Crn).MustBeCrn();
        RuleFor(c => c.Name).NotEmpty().WithMessage("is required").AtMost(VictimDetails.NameMaxLength);
        RuleFor(c => c.Address).AtMost(VictimDetails.AddressMaxLength);
        RuleFor(c => c.Phone).AtMost(VictimDetails.PhoneMaxLength)
            .Matches(@"^\+?[0-9 ()-]{6,}$").WithMessage("must be a telephone number: digits, spaces, brackets, hyphens, an optional leading +")
            .When(c => !string.IsNullOrWhiteSpace(c.Phone));
        RuleFor(c => c.Email).AtMost(VictimDetails.EmailMaxLength)
            .EmailAddress().WithMessage("must be an email address")
            .When(c => !string.IsNullOrWhiteSpace(c.Email));
        RuleFor(c => c.Relationship).AtMost(VictimDetails.RelationshipMaxLength);
        RuleFor(c => c.Notes).AtMost(VictimDetails.NotesMaxLength);
    }
}

internal static class VictimValidation
{
    public static IRuleBuilderOptions<T, string?> AtMost<T>(this IRuleBuilder<T, string?> rule, int length) =>
        rule.MaximumLength(length).WithMessage($"must be at most {length} characters");
}

public sealed class RecordVictimHandler(IAppDbContext db, VictimLiaisonAccess access, ICaller caller, TimeProvider clock)
    : ICommandHandler<RecordVictim, VictimRecorded>
{
    public async ValueTask<VictimRecorded> Handle(RecordVictim command, CancellationToken cancellationToken)
    {
        var caseId = await access.CaseForVictimDetailsAsync(command.Crn, cancellationToken);
        var now = clock.GetUtcNow();
        var victim = VictimDetails.Record(
            Guid.CreateVersion7(now), caseId,
            new VictimDetailsFacts(command.Name!, command.Address, command.Phone, command.Email, command.Relationship, command.Notes),
            caller.UserId, caller.OrganisationCode, now);
        db.VictimDetails.Add(victim);
        return new VictimRecorded(victim.Id, command.Crn, victim.RecordedBy, victim.RecordedAt, victim.FieldsGiven());
    }
}

/// <summary>The victims' details on a case: the NPS victim liaison unit only; anyone else gets the 404 of a case they cannot see.</summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Auditor, Roles.Admin, Roles.PartnerSystem, Roles.Manager, Roles.TeamManager, Roles.HeadOfService, Roles.VictimLiaison)]
public sealed record GetVictims(string Crn) : IQuery<IReadOnlyList<VictimView>>, ICaseMessage, IConsultation
{
    public AuditFacts Consulted(object result) =>
        new(AuditOperation.Consultation, nameof(GetVictims), Crn, "victims", Crn, null, $"victim details ({((IReadOnlyList<VictimView>)result).Count})");
}

public sealed class GetVictimsValidator : AbstractValidator<GetVictims>
{
    public GetVictimsValidator() => RuleFor(q => q.Crn).MustBeCrn();
}

public sealed class GetVictimsHandler(IAppDbContext db, VictimLiaisonAccess access) : IQueryHandler<GetVictims, IReadOnlyList<VictimView>>
{
    public async ValueTask<IReadOnlyList<VictimView>> Handle(GetVictims query, CancellationToken cancellationToken)
    {
        var caseId = await access.CaseForVictimDetailsAsync(query.Crn, cancellationToken);
        return await db.VictimDetails.AsNoTracking()
            .Where(v => v.CaseId == caseId)
            .OrderBy(v => v.RecordedAt).ThenBy(v => v.Id)
            .Select(v => new VictimView(v.Id, query.Crn, v.Name, v.Address, v.Phone, v.Email, v.Relationship, v.Notes, v.RecordedBy, v.RecordedByOrganisation, v.RecordedAt))
            .ToListAsync(cancellationToken);
    }
}
