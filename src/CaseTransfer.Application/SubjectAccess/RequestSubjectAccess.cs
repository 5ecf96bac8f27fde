using System.Text.Json.Serialization;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.SubjectAccess;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.SubjectAccess;

/// <summary>
/// A subject access request for one person, named by exactly one of their CRN, PNC ID or NOMS number, over an optional
/// period: queued for the background worker, which gathers everything held on them into one bundle. A data protection
/// officer of an NPS organisation only. Its audit entry is a consultation of the whole case, with the request's
/// reference as its justification, so it appears in the person's own disclosure log. The identifiers are named
/// By... here (crn, pncId, nomsNumber in JSON) because none of them is the case's CRN until the handler has found the
/// case: the audit entry takes the case's CRN from the result, whichever identifier named the person.
/// </summary>
[Authorise(Roles.DataProtectionOfficer)]
public sealed record RequestSubjectAccess(
    [property: JsonPropertyName("crn")] string? ByCrn,
    [property: JsonPropertyName("pncId")] string? ByPncId,
    [property: JsonPropertyName("nomsNumber")] string? ByNomsNumber,
    DateOnly? From,
    DateOnly? To,
    string Reference)
    : ICommand<SubjectAccessRequestView>, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Consultation;

    [JsonIgnore]
    public string? AuditSummary => "subject access request: the whole case record gathered for the data subject";

    [JsonIgnore]
    public string? Justification => $"Subject access request {Reference} (UK GDPR art. 15; DPA 2018 s.45)";
}

public sealed class RequestSubjectAccessValidator : AbstractValidator<RequestSubjectAccess>
{
    public RequestSubjectAccessValidator(TimeProvider clock)
    {
        RuleFor(c => c)
            .Must(c => new[] { c.ByCrn, c.ByPncId, c.ByNomsNumber }.Count(v => v is not null) == 1)
            .WithName("crn")
            .OverridePropertyName("crn")
            .WithMessage("exactly one of crn, pncId and nomsNumber is required");
        RuleFor(c => c.ByCrn).Must(v => v is null || Crn.IsValid(v)).WithMessage($"must match {Crn.Pattern}").OverridePropertyName("crn");
        RuleFor(c => c.ByPncId).MustBeOptionalPnc().OverridePropertyName("pncId");
        RuleFor(c => c.ByNomsNumber).MustBeOptionalNoms().OverridePropertyName("nomsNumber");
        RuleFor(c => c.Reference).NotEmpty().WithMessage("is required")
            .MaximumLength(SubjectAccessRequest.ReferenceMaxLength).WithMessage($"must be at most {SubjectAccessRequest.ReferenceMaxLength} characters");
        RuleFor(c => c).Custom((c, context) =>
        {
            foreach (var (field, message) in SubjectAccessPeriod.Problems(c.From, c.To, London.DateOf(clock.GetUtcNow())))
            {
                context.AddFailure(new ValidationFailure(field, message));
            }
        });
    }
}

/// <summary>Subject access is the data protection officer's, in the NPS (the controller's officer): 403 for anyone else.</summary>
public sealed class SubjectAccessAccess(CaseAccess cases)
{
    public async Task EnsureOfficerAsync(CancellationToken cancellationToken)
    {
        if ((await cases.CallerOrganisationAsync(cancellationToken))?.IsNps != true)
        {
            throw new ForbiddenException("Subject access requests are made and read by a data protection officer of an NPS organisation only.");
        }
    }
}

public sealed class RequestSubjectAccessHandler(IAppDbContext db, SubjectAccessAccess access, ICaller caller, TimeProvider clock, SubjectAccessOptions options)
    : ICommandHandler<RequestSubjectAccess, SubjectAccessRequestView>
{
    public async ValueTask<SubjectAccessRequestView> Handle(RequestSubjectAccess command, CancellationToken cancellationToken)
    {
        await access.EnsureOfficerAsync(cancellationToken);
        var (type, value, matches) = command switch
        {
            { ByCrn: { } crn } => (SubjectIdentifierType.Crn, crn, db.Cases.Where(c => c.Crn == Crn.Parse(crn))),
            { ByPncId: { } pnc } => (SubjectIdentifierType.PncId, pnc, db.Cases.Where(c => c.PncId == PncId.Parse(pnc))),
            _ => (SubjectIdentifierType.NomsNumber, command.ByNomsNumber!, db.Cases.Where(c => c.NomsNumber == NomsNumber.Parse(command.ByNomsNumber!))),
        };
        var cases = await matches.AsNoTracking().Select(c => new { c.Id, c.Crn }).Take(2).ToListAsync(cancellationToken);
        if (cases.Count == 0)
        {
            throw new NotFoundException("Person", value);
        }

        if (cases.Count > 1)
        {
            // Two case records carry the identifier: gathering both could give the person another's data. The officer
            // resolves which record is theirs and asks by CRN.
            throw new DomainRuleViolation(
                "subject-identifier-ambiguous", $"More than one case record carries {type} {value}; ask by CRN, once it is settled which record is the person's.");
        }

        var now = clock.GetUtcNow();
        var request = SubjectAccessRequest.Queue(
            Guid.CreateVersion7(now), type, value, cases[0].Id, cases[0].Crn.Value, new SubjectAccessPeriod(command.From, command.To),
            command.Reference, caller.UserId, caller.OrganisationCode, now);
        db.SubjectAccessRequests.Add(request);
        return SubjectAccessRequestView.Of(request, now, options);
    }
}
