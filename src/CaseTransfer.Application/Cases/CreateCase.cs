using System.Text.Json.Serialization;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;
using CaseTransfer.Domain.Search;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Cases;

public sealed record SentenceInput(
    SentenceType? Type,
    DateOnly? SentenceDate,
    DateOnly? StartDate,
    DateOnly? ExpectedEndDate,
    DateOnly? ReleaseDate,
    DateOnly? LicenceEndDate);

/// <param name="StartDate">When the requirement is expected to start.</param>
/// <param name="StartedOn">When it actually started, for a case imported with requirements under way; omitted or null while not started (a requirement-not-started alert is raised once the start date has passed).</param>
public sealed record RequirementInput(RequirementType? Type, DateOnly? StartDate, DateOnly? ExpectedEndDate, DateOnly? StartedOn = null);

/// <summary>Opens (or imports) a case. It starts held by the NPS region that covers its area.</summary>
[Authorise(Roles.Allocator, Roles.PartnerSystem, Roles.Admin)]
public sealed record CreateCase(
    string Crn,
    string FirstName,
    string? MiddleNames,
    string LastName,
    DateOnly? DateOfBirth,
    string? PncId,
    string? NomsNumber,
    string AreaCode,
    SentenceInput? Sentence,
    IReadOnlyList<RequirementInput>? Requirements,
    IReadOnlyList<OtherNameInput>? OtherNames = null) : ICommand<CaseChanged>, ICaseMessage, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Collection;

    [JsonIgnore]
    public string? AuditSummary => "case opened";
}

/// <summary>The outcome of a change to a case: where it is and its new version (the ETag).</summary>
public sealed record CaseChanged(string Crn, long Version) : IAuditedResult
{
    [JsonIgnore]
    public string ResourceType => "case";

    [JsonIgnore]
    public string ResourceId => Crn;

    [JsonIgnore]
    public long? ResourceVersion => Version;

    [JsonIgnore]
    public string? ChangeSummary { get; init; }
}

public sealed class CreateCaseValidator : AbstractValidator<CreateCase>
{
    public CreateCaseValidator()
    {
        RuleFor(c => c.Crn).MustBeCrn();
        RuleFor(c => c.FirstName).NotEmpty().WithMessage("is required").MustBeName();
        RuleFor(c => c.MiddleNames).MustBeName().When(c => c.MiddleNames is not null);
        RuleFor(c => c.LastName).NotEmpty().WithMessage("is required").MustBeName();
        RuleFor(c => c.DateOfBirth).Required();
        RuleFor(c => c.PncId).MustBeOptionalPnc();
        RuleFor(c => c.NomsNumber).MustBeOptionalNoms();
        RuleFor(c => c.AreaCode).NotEmpty().WithMessage("is required")
            .MaximumLength(Organisation.CodeMaxLength).WithMessage($"must be at most {Organisation.CodeMaxLength} characters");
        RuleFor(c => c.Sentence).Required();
        RuleFor(c => c.Sentence!.Type).Required().When(c => c.Sentence is not null);
        RuleFor(c => c.Sentence!.SentenceDate).Required().When(c => c.Sentence is not null);
        RuleFor(c => c.Requirements).Must(r => r is null || r.Count <= 20).WithMessage("must list at most 20 requirements");
        RuleForEach(c => c.Requirements).NotNull().WithMessage("must be a requirement, not null")
            .ChildRules(r => r.RuleFor(x => x.Type).Required());
        RuleFor(c => c.OtherNames).Must(n => n is null || n.Count <= CaseOtherName.MaxPerCase).WithMessage($"must list at most {CaseOtherName.MaxPerCase} other names");
        RuleForEach(c => c.OtherNames).NotNull().WithMessage("must be a name, not null").SetValidator(new OtherNameValidator<OtherNameInput>());
    }
}

public sealed class CreateCaseHandler(IAppDbContext db, CaseAccess access, ICaller caller, TimeProvider clock) : ICommandHandler<CreateCase, CaseChanged>
{
    public async ValueTask<CaseChanged> Handle(CreateCase command, CancellationToken cancellationToken)
    {
        var area = await db.Areas.AsNoTracking().SingleOrDefaultAsync(a => a.Code == command.AreaCode, cancellationToken)
            ?? throw new ValidationException([new ValidationFailure("areaCode", $"'{command.AreaCode}' is not a known area")]);

        // Every case begins with the NPS; a provider cannot open one. The national NPS and the covering region may.
        if (caller.OrganisationCode != area.NpsRegionCode
            && (await access.CallerOrganisationAsync(cancellationToken))?.Kind != OrganisationKind.Nps)
        {
            throw new ForbiddenException("Only the NPS, or the NPS region that covers the area, may open a case there.");
        }

        var crn = Crn.Parse(command.Crn);
        if (await db.Cases.AnyAsync(c => c.Crn == crn, cancellationToken))
        {
            throw new Domain.Common.DomainRuleViolation("crn-already-exists", $"A case with CRN {command.Crn} already exists.");
        }

        var s = command.Sentence!;
        var now = clock.GetUtcNow();
        var @case = Case.Open(
            Guid.CreateVersion7(now),
            crn,
            command.FirstName,
            command.MiddleNames,
            command.LastName,
            command.DateOfBirth!.Value,
            command.PncId is null ? null : PncId.Parse(command.PncId),
            command.NomsNumber is null ? null : NomsNumber.Parse(command.NomsNumber),
            area,
            new Sentence(s.Type!.Value, s.SentenceDate!.Value, s.StartDate, s.ExpectedEndDate, s.ReleaseDate, s.LicenceEndDate),
            (command.Requirements ?? []).Select(r => (r.Type!.Value, r.StartDate, r.ExpectedEndDate)),
            now);
        var otherNames = @case.RecordOtherNamesAtOpening([.. (command.OtherNames ?? []).Select(n => n.ToFacts())], caller.UserId);
        foreach (var (requirement, input) in @case.Requirements.Zip(command.Requirements ?? []))
        {
            if (input.StartedOn is { } startedOn)
            {
                @case.StartRequirement(requirement.Id, startedOn, now);
            }
        }

        db.Cases.Add(@case);
        var keys = NameKeys.ForName(@case.Forenames, @case.LastName);
        db.CaseNameKeys.AddRange(keys.Select(k => new CaseNameKey(@case.Id, k)));
        OtherNameKeys.Add(db, @case.Id, otherNames, keys);
        return new CaseChanged(@case.Crn.Value, @case.Version)
        {
            ChangeSummary = $"case opened; areaCode: {area.Code}; holder: {@case.HolderOrganisationCode}; sentenceType: {@case.Sentence.Type}"
                + (otherNames.Count > 0 ? $"; otherNames: {string.Join(",", otherNames.Select(o => "+" + o.Kind))}" : ""),
        };
    }
}
