using System.Linq.Expressions;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Escalations;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Escalations;

/// <summary>Settings of risk escalation (<c>Escalation:*</c>), checked at start.</summary>
public sealed record EscalationOptions
{
    public const string Section = "Escalation";
    public const int DefaultHandoverDays = 14;
    public const int DefaultEscalationRequiredReraiseHours = 24;

    /// <summary>Clock hours, around the clock, within which the NPS region must acknowledge an emergency escalation.</summary>
    public int EmergencyAcknowledgeHours { get; init; } = EscalationDeadlines.DefaultEmergencyAcknowledgeHours;

    /// <summary>Working days (England and Wales) within which the NPS region must decide a standard escalation.</summary>
    public int StandardDecisionWorkingDays { get; init; } = EscalationDeadlines.DefaultStandardDecisionWorkingDays;

    /// <summary>Days after an acceptance during which the provider may still read the case summary and history.</summary>
    public int HandoverDays { get; init; } = DefaultHandoverDays;

    /// <summary>
    /// Hours after which an escalation-required alert is raised again, to managers on both sides, while the case is
    /// still not escalated (see the alert job's conditions).
    /// </summary>
    public int EscalationRequiredReraiseHours { get; init; } = DefaultEscalationRequiredReraiseHours;

    public EscalationDeadlines Deadlines => new(EmergencyAcknowledgeHours, StandardDecisionWorkingDays);

    public TimeSpan Handover => TimeSpan.FromDays(HandoverDays);

    /// <summary>Refuses settings that would make a deadline or the handover meaningless, naming the setting.</summary>
    public EscalationOptions Validate()
    {
        foreach (var (name, value) in new[]
        {
            (nameof(EmergencyAcknowledgeHours), EmergencyAcknowledgeHours),
            (nameof(StandardDecisionWorkingDays), StandardDecisionWorkingDays),
            (nameof(HandoverDays), HandoverDays),
            (nameof(EscalationRequiredReraiseHours), EscalationRequiredReraiseHours),
        })
        {
            if (value <= 0)
            {
                throw new InvalidOperationException($"{Section}:{name} must be at least 1, not {value}.");
            }
        }

        return this;
    }
}

/// <summary>Shape rules for what an escalation carries.</summary>
public static partial class EscalationValidation
{
    public const string DocumentReferencePattern = "^[A-Za-z0-9][A-Za-z0-9._:/#-]*$";

    public static IRuleBuilderOptions<T, string?> MustBeEscalationText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(Escalation.TextMaxLength).WithMessage($"must be at most {Escalation.TextMaxLength} characters");

    public static IRuleBuilderOptions<T, Guid> MustBeEscalationId<T>(this IRuleBuilder<T, Guid> rule) =>
        rule.NotEmpty().WithMessage("is required");

    /// <summary>
    /// A reference to a supporting document, opaque to this service until it holds documents: checked for shape only
    /// (1 to 150 letters, digits and <c>. _ : / # -</c>, beginning with a letter or digit), never looked up.
    /// </summary>
    public static bool IsDocumentReference(string? reference) =>
        reference is { Length: > 0 and <= Escalation.DocumentReferenceMaxLength } && DocumentReference().IsMatch(reference);

    [System.Text.RegularExpressions.GeneratedRegex(DocumentReferencePattern)]
    private static partial System.Text.RegularExpressions.Regex DocumentReference();
}

/// <summary>Which side of an escalation the caller stands on, and so which actions are theirs.</summary>
public enum EscalationSide
{
    /// <summary>The provider that requested it.</summary>
    Requester,

    /// <summary>The NPS region covering the case (or the NPS above it).</summary>
    Decider,
}

/// <summary>
/// Who sees an escalation: the provider that requested it and the NPS region it was sent to (and the NPS above that
/// region), whoever holds the case now. Anyone else gets a 404, as for a case they cannot see.
/// </summary>
public sealed class EscalationAccess(IAppDbContext db, CaseAccess cases)
{
    private static readonly Expression<Func<Escalation, IReadOnlyList<string>, bool>> SeesEscalation = (e, codes) =>
        codes.Contains(e.ProviderCode) || codes.Contains(e.NpsRegionCode);

    public async Task<IQueryable<Escalation>> VisibleAsync(CancellationToken cancellationToken) =>
        Visible(await cases.VisibleHolderCodesAsync(cancellationToken));

    /// <summary>The escalation, untracked, for reading; 404 when the caller cannot see it.</summary>
    public async Task<Escalation> GetVisibleAsync(Guid id, CancellationToken cancellationToken) =>
        await (await VisibleAsync(cancellationToken)).AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken)
            ?? throw new NotFoundException("Escalation", id.ToString());

    /// <summary>
    /// The escalation, tracked, for an action that belongs to one side: 404 when the caller cannot see it, 403 when it
    /// can but the action is the other side's, 412 when <paramref name="expectedVersion"/> is stale.
    /// </summary>
    public async Task<Escalation> GetForChangeAsync(Guid id, EscalationSide side, IfMatch? expectedVersion, CancellationToken cancellationToken)
    {
        var codes = await cases.VisibleHolderCodesAsync(cancellationToken);
        var escalation = await Visible(codes).SingleOrDefaultAsync(e => e.Id == id, cancellationToken)
            ?? throw new NotFoundException("Escalation", id.ToString());
        var callerSide = codes.Contains(escalation.NpsRegionCode) ? EscalationSide.Decider : EscalationSide.Requester;
        if (callerSide != side)
        {
            throw new ForbiddenException(side == EscalationSide.Decider
                ? "Only the NPS region covering the case acknowledges and decides an escalation."
                : "Only the provider that requested the escalation may do this.");
        }

        IfMatch.Ensure(expectedVersion, "escalation", escalation.Version);
        return escalation;
    }

    private IQueryable<Escalation> Visible(IReadOnlyList<string> codes) => db.Escalations.Where(QueryParts.Bind(SeesEscalation, codes));
}
