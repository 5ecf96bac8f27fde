using System.Text.Json.Serialization;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Search;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Cases;

/// <summary>An other name as sent: its kind and the name.</summary>
public interface IOtherName
{
    OtherNameKind? Kind { get; }
    string? FirstName { get; }
    string? MiddleNames { get; }
    string? LastName { get; }
}

/// <summary>An other name sent with a new case.</summary>
/// <param name="Kind">Alias (a name used or recorded elsewhere) or KnownAs (the name the person goes by).</param>
public sealed record OtherNameInput(OtherNameKind? Kind, string? FirstName, string? MiddleNames, string? LastName) : IOtherName;

internal static class OtherNameFactsOf
{
    public static OtherNameFacts ToFacts(this IOtherName n) => new(n.Kind!.Value, n.FirstName!, n.MiddleNames, n.LastName!);
}

/// <summary>Records another name the case's person is known by: found by search like the main name, shown in the case picture.</summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.PartnerSystem, Roles.Admin)]
public sealed record RecordOtherName(string Crn, OtherNameKind? Kind, string? FirstName, string? MiddleNames, string? LastName, IfMatch? ExpectedVersion)
    : ICommand<OtherNameRecorded>, ICaseMessage, IVersionedCommand, IAuditedCommand, IOtherName
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => "otherNames";
}

/// <summary>An other name the case carries.</summary>
public sealed record OtherNameView(Guid Id, OtherNameKind Kind, PersonName Name, string RecordedBy, DateTimeOffset RecordedAt)
{
    public static OtherNameView From(CaseOtherName o) => new(o.Id, o.Kind, new PersonName(o.FirstName, o.MiddleNames, o.LastName), o.RecordedBy, o.RecordedAt);
}

/// <summary>The other name recorded, and the case's new version (the ETag).</summary>
public sealed record OtherNameRecorded(string Crn, OtherNameView OtherName, long CaseVersion) : IAuditedResult
{
    [JsonIgnore]
    public string ResourceType => "other-name";

    [JsonIgnore]
    public string ResourceId => OtherName.Id.ToString();

    [JsonIgnore]
    public long? ResourceVersion => CaseVersion;

    /// <summary>The kind only: the name itself is personal data, read from the case with the reader's own rights.</summary>
    [JsonIgnore]
    public string? ChangeSummary => $"otherNames: +{OtherName.Kind}";
}

public sealed class OtherNameValidator<T> : AbstractValidator<T>
    where T : IOtherName
{
    public OtherNameValidator()
    {
        RuleFor(n => n.Kind).Required().IsInEnum();
        RuleFor(n => n.FirstName).NotEmpty().WithMessage("is required").MustBeName();
        RuleFor(n => n.MiddleNames).MustBeName().When(n => n.MiddleNames is not null);
        RuleFor(n => n.LastName).NotEmpty().WithMessage("is required").MustBeName();
    }
}

public sealed class RecordOtherNameValidator : AbstractValidator<RecordOtherName>
{
    public RecordOtherNameValidator()
    {
        RuleFor(c => c.Crn).MustBeCrn();
        Include(new OtherNameValidator<RecordOtherName>());
    }
}

public sealed class RecordOtherNameHandler(IAppDbContext db, CaseAccess access, ICaller caller, TimeProvider clock)
    : ICommandHandler<RecordOtherName, OtherNameRecorded>
{
    public async ValueTask<OtherNameRecorded> Handle(RecordOtherName command, CancellationToken cancellationToken)
    {
        var @case = await access.GetForChangeAsync(command.Crn, cancellationToken);
        CaseAccess.EnsureVersion(@case, command.ExpectedVersion);
        var existing = await db.CaseOtherNames.Where(o => o.CaseId == @case.Id).ToListAsync(cancellationToken);
        var recorded = @case.RecordOtherNames(existing, [command.ToFacts()], caller.UserId, clock.GetUtcNow());
        var keys = await db.CaseNameKeys.Where(k => k.CaseId == @case.Id).Select(k => k.Key).ToListAsync(cancellationToken);
        OtherNameKeys.Add(db, @case.Id, recorded, keys);
        return new OtherNameRecorded(command.Crn, OtherNameView.From(recorded[0]), @case.Version);
    }
}

/// <summary>Other names are searched through the same keys as the main name: the case's key rows cover every name it carries.</summary>
internal static class OtherNameKeys
{
    public static void Add(IAppDbContext db, Guid caseId, IEnumerable<CaseOtherName> names, IEnumerable<string> existingKeys)
    {
        db.CaseOtherNames.AddRange(names);
        var stored = new HashSet<string>(existingKeys, StringComparer.Ordinal);
        foreach (var name in names)
        {
            foreach (var key in NameKeys.ForName(name.Forenames, name.LastName))
            {
                if (stored.Add(key))
                {
                    db.CaseNameKeys.Add(new CaseNameKey(caseId, key));
                }
            }
        }
    }
}
