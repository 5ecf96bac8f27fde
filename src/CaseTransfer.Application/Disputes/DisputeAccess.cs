using System.Linq.Expressions;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Disputes;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Disputes;

/// <summary>Settings of disputes (<c>Disputes:*</c>), checked at start.</summary>
public sealed record DisputeOptions
{
    public const string Section = "Disputes";
    public const int DefaultSweepSeconds = 60;

    /// <summary>Working days (England and Wales) the team managers have at the Local stage before it moves up by itself.</summary>
    public int LocalStageWorkingDays { get; init; } = DisputeDeadlines.DefaultLocalStageWorkingDays;

    /// <summary>Working days the heads of service have at the Senior stage; past it the dispute is overdue (and stays Senior).</summary>
    public int SeniorStageWorkingDays { get; init; } = DisputeDeadlines.DefaultSeniorStageWorkingDays;

    /// <summary>How often each instance looks for Local stages past their limit; 0 switches the sweep off (tests run it themselves).</summary>
    public int SweepSeconds { get; init; } = DefaultSweepSeconds;

    public DisputeDeadlines Deadlines => new(LocalStageWorkingDays, SeniorStageWorkingDays);

    /// <summary>Refuses settings that would make a stage's limit meaningless, naming the setting.</summary>
    public DisputeOptions Validate()
    {
        foreach (var (name, value, minimum) in new[]
        {
            (nameof(LocalStageWorkingDays), LocalStageWorkingDays, 1),
            (nameof(SeniorStageWorkingDays), SeniorStageWorkingDays, 1),
            (nameof(SweepSeconds), SweepSeconds, 0),
        })
        {
            if (value < minimum)
            {
                throw new InvalidOperationException($"{Section}:{name} must be at least {minimum}, not {value}.");
            }
        }

        return this;
    }
}

/// <summary>Shape rules for what a dispute carries.</summary>
public static class DisputeValidation
{
    public static IRuleBuilderOptions<T, string?> MustBeDisputeText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(Dispute.TextMaxLength).WithMessage($"must be at most {Dispute.TextMaxLength} characters");

    public static IRuleBuilderOptions<T, Guid> MustBeDisputeId<T>(this IRuleBuilder<T, Guid> rule) =>
        rule.NotEmpty().WithMessage("is required");
}

/// <summary>
/// Who sees a dispute: the two parties (the NPS organisation and the provider either side of the disputed decision,
/// and the NPS above a region), whoever holds the case now. Anyone else gets a 404, as for a case they cannot see.
/// </summary>
public sealed class DisputeAccess(IAppDbContext db, CaseAccess cases, ICaller caller)
{
    private static readonly Expression<Func<Dispute, IReadOnlyList<string>, bool>> SeesDispute = (d, codes) =>
        codes.Contains(d.NpsOrganisationCode) || codes.Contains(d.ProviderCode);

    public async Task<IQueryable<Dispute>> VisibleAsync(CancellationToken cancellationToken) =>
        Visible(await cases.VisibleHolderCodesAsync(cancellationToken));

    /// <summary>The dispute with its statements and stage changes, untracked, for reading; 404 when the caller cannot see it.</summary>
    public async Task<Dispute> GetVisibleAsync(Guid id, CancellationToken cancellationToken) =>
        await WithRecord(await VisibleAsync(cancellationToken)).AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw new NotFoundException("Dispute", id.ToString());

    /// <summary>
    /// The dispute, tracked, for an action of either party: 404 when the caller cannot see it, 412 when
    /// <paramref name="expectedVersion"/> is stale. The party the caller stands for comes with it.
    /// </summary>
    public async Task<(Dispute Dispute, DisputeActor Actor)> GetForChangeAsync(Guid id, IfMatch? expectedVersion, CancellationToken cancellationToken)
    {
        var dispute = await WithRecord(await VisibleAsync(cancellationToken)).SingleOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw new NotFoundException("Dispute", id.ToString());
        IfMatch.Ensure(expectedVersion, "dispute", dispute.Version);
        return (dispute, Actor());
    }

    /// <summary>The caller as the author of a statement or an action: the organisation is the caller's own (the NPS above a region signs as itself).</summary>
    public DisputeActor Actor() => new(caller.UserId, caller.UserName, caller.OrganisationCode);

    public bool CallerIsHeadOfService => caller.Roles.Contains(Roles.HeadOfService);

    private IQueryable<Dispute> Visible(IReadOnlyList<string> codes) => db.Disputes.Where(QueryParts.Bind(SeesDispute, codes));

    /// <summary>Statements and stage changes are part of the dispute's record: read with it, split so each is one plain query.</summary>
    public static IQueryable<Dispute> WithRecord(IQueryable<Dispute> disputes) =>
        disputes.Include(d => d.Statements).Include(d => d.StageChanges).AsSplitQuery();
}
