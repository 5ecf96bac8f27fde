using System.Text.Json.Serialization;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Cases;

/// <summary>The case's exclusion and restriction lists, with removed entries (who removed them, when), oldest first.</summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.Manager, Roles.Admin)]
public sealed record GetAccessLimits(string Crn) : IQuery<IReadOnlyList<AccessLimitView>>, ICaseMessage, IConsultation
{
    public AuditFacts Consulted(object result) =>
        new(AuditOperation.Consultation, nameof(GetAccessLimits), Crn, "access-limits", Crn, null, $"{((IReadOnlyList<AccessLimitView>)result).Count} access limits");
}

/// <summary>
/// Names a member of staff (by the user id in their token, a practitioner's staff code) on the case's exclusion list
/// (they must not see it) or restriction list (only those named may see it).
/// </summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.Manager, Roles.Admin)]
public sealed record AddAccessLimit(string Crn, AccessLimitKind? Kind, string? StaffCode, string? Reason, IfMatch? ExpectedVersion)
    : ICommand<AccessLimitView>, ICaseMessage, IVersionedCommand, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => "accessLimits";
}

/// <summary>Takes a name off the case's exclusion or restriction list. The entry stays, marked removed.</summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.Manager, Roles.Admin)]
public sealed record RemoveAccessLimit(string Crn, Guid LimitId, IfMatch? ExpectedVersion)
    : ICommand<AccessLimitView>, ICaseMessage, IVersionedCommand, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => "accessLimits";
}

public sealed record AccessLimitView(
    Guid Id,
    string Crn,
    AccessLimitKind Kind,
    string StaffCode,
    string? Reason,
    string AddedBy,
    DateTimeOffset AddedAt,
    string? RemovedBy,
    DateTimeOffset? RemovedAt,
    bool Active,
    long CaseVersion) : IAuditedResult
{
    /// <summary>
    /// The case's responsible officer's restriction entry when this change added or removed it too: added when a
    /// restriction list would otherwise have hidden the case from them; removed when the last other name was taken
    /// off and the list lifted. Null otherwise.
    /// </summary>
    public AccessLimitView? ResponsibleOfficerLimit { get; init; }

    [JsonIgnore]
    public string ResourceType => "access-limit";

    [JsonIgnore]
    public string ResourceId => Id.ToString();

    [JsonIgnore]
    public long? ResourceVersion => CaseVersion;

    /// <summary>Kind and staff code: neither is free text, and together they say what changed.</summary>
    [JsonIgnore]
    public string? ChangeSummary =>
        $"accessLimits: {Signed(this)}{(ResponsibleOfficerLimit is { } officer ? $", {Signed(officer)} (responsible officer)" : "")}";

    public static AccessLimitView From(string crn, CaseAccessLimit l, long caseVersion) =>
        new(l.Id, crn, l.Kind, l.StaffCode, l.Reason, l.AddedBy, l.AddedAt, l.RemovedBy, l.RemovedAt, l.IsActive, caseVersion);

    /// <summary>The view of a change: its entry, with the responsible officer's when it went with it.</summary>
    public static AccessLimitView From(string crn, AccessLimitChange change, long caseVersion) =>
        From(crn, change.Limit, caseVersion) with
        {
            ResponsibleOfficerLimit = change.ResponsibleOfficer is { } officer ? From(crn, officer, caseVersion) : null,
        };

    private static string Signed(AccessLimitView l) => $"{(l.Active ? "+" : "-")}{l.Kind} {l.StaffCode}";
}

public sealed class GetAccessLimitsValidator : AbstractValidator<GetAccessLimits>
{
    public GetAccessLimitsValidator() => RuleFor(q => q.Crn).MustBeCrn();
}

public sealed partial class AddAccessLimitValidator : AbstractValidator<AddAccessLimit>
{
    public const int StaffCodeMaxLength = 100;

    public AddAccessLimitValidator()
    {
        RuleFor(c => c.Crn).MustBeCrn();
        RuleFor(c => c.Kind).Required().IsInEnum();
        RuleFor(c => c.StaffCode).NotEmpty().WithMessage("is required")
            .MaximumLength(StaffCodeMaxLength).WithMessage($"must be at most {StaffCodeMaxLength} characters")
            .Matches(StaffCodePattern()).WithMessage("must be a user id: letters, digits, '.', '_', '@' or '-'");
        RuleFor(c => c.Reason).MaximumLength(CaseAccessLimit.ReasonMaxLength).WithMessage($"must be at most {CaseAccessLimit.ReasonMaxLength} characters");
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]*$")]
    private static partial System.Text.RegularExpressions.Regex StaffCodePattern();
}

public sealed class RemoveAccessLimitValidator : AbstractValidator<RemoveAccessLimit>
{
    public RemoveAccessLimitValidator()
    {
        RuleFor(c => c.Crn).MustBeCrn();
        RuleFor(c => c.LimitId).NotEmpty().WithMessage("is required");
    }
}

public sealed class GetAccessLimitsHandler(IAppDbContext db, CaseAccess access) : IQueryHandler<GetAccessLimits, IReadOnlyList<AccessLimitView>>
{
    public async ValueTask<IReadOnlyList<AccessLimitView>> Handle(GetAccessLimits query, CancellationToken cancellationToken)
    {
        var caseId = await access.GetVisibleIdAsync(query.Crn, cancellationToken);
        var version = await db.Cases.Where(c => c.Id == caseId).Select(c => c.Version).SingleAsync(cancellationToken);
        var limits = await db.CaseAccessLimits.AsNoTracking().Where(l => l.CaseId == caseId).ToListAsync(cancellationToken);
        return [.. limits.OrderBy(l => l.AddedAt).ThenBy(l => l.Id).Select(l => AccessLimitView.From(query.Crn, l, version))];
    }
}

public sealed class AddAccessLimitHandler(IAppDbContext db, CaseAccess access, ICaller caller, TimeProvider clock)
    : ICommandHandler<AddAccessLimit, AccessLimitView>
{
    public async ValueTask<AccessLimitView> Handle(AddAccessLimit command, CancellationToken cancellationToken)
    {
        var @case = await access.GetForChangeAsync(command.Crn, cancellationToken);
        CaseAccess.EnsureVersion(@case, command.ExpectedVersion);
        var active = await db.CaseAccessLimits.Where(l => l.CaseId == @case.Id && l.RemovedAt == null).ToListAsync(cancellationToken);
        var added = @case.LimitAccess(
            new AccessLists(active),
            command.Kind!.Value,
            command.StaffCode!,
            command.Reason,
            await ResponsibleOfficer.StaffCodeAsync(db, @case, cancellationToken),
            caller.UserId,
            clock.GetUtcNow());
        db.CaseAccessLimits.Add(added.Limit);
        if (added.ResponsibleOfficer is { } officer)
        {
            db.CaseAccessLimits.Add(officer);
        }

        return AccessLimitView.From(command.Crn, added, @case.Version);
    }
}

/// <summary>The staff code (the user id in their token) of the case's responsible officer, which the list rules protect.</summary>
internal static class ResponsibleOfficer
{
    public static async Task<string?> StaffCodeAsync(IAppDbContext db, Case @case, CancellationToken cancellationToken) =>
        @case.ResponsibleOfficerId is { } officerId
            ? await db.Practitioners.Where(p => p.Id == officerId).Select(p => p.StaffCode).SingleOrDefaultAsync(cancellationToken)
            : null;
}

public sealed class RemoveAccessLimitHandler(IAppDbContext db, CaseAccess access, ICaller caller, TimeProvider clock)
    : ICommandHandler<RemoveAccessLimit, AccessLimitView>
{
    public async ValueTask<AccessLimitView> Handle(RemoveAccessLimit command, CancellationToken cancellationToken)
    {
        var @case = await access.GetForChangeAsync(command.Crn, cancellationToken);
        CaseAccess.EnsureVersion(@case, command.ExpectedVersion);
        var limits = await db.CaseAccessLimits
            .Where(l => l.CaseId == @case.Id && (l.RemovedAt == null || l.Id == command.LimitId))
            .ToListAsync(cancellationToken);
        var limit = limits.SingleOrDefault(l => l.Id == command.LimitId) ?? throw new NotFoundException("Access limit", command.LimitId.ToString());
        var removed = @case.RemoveAccessLimit(
            new AccessLists(limits), limit, await ResponsibleOfficer.StaffCodeAsync(db, @case, cancellationToken), caller.UserId, clock.GetUtcNow());
        return AccessLimitView.From(command.Crn, removed, @case.Version);
    }
}
