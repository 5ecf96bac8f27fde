using System.Linq.Expressions;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Common;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Allocations;

/// <summary>Settings of the allocation workflow (<c>Allocation:*</c>).</summary>
public sealed record AllocationOptions
{
    public const string Section = "Allocation";

    public const int DefaultDecisionWorkingDays = 5;

    /// <summary>How many working days (England and Wales) a provider has to accept or reject an allocation.</summary>
    public int DecisionWorkingDays { get; init; } = DefaultDecisionWorkingDays;

    /// <summary>When a provider sent an allocation at <paramref name="sentAt"/> must decide by.</summary>
    public DateTimeOffset DueBy(DateTimeOffset sentAt) => WorkingDays.DueBy(sentAt, DecisionWorkingDays);
}

/// <summary>Shape rules for the free texts an allocation carries.</summary>
public static class AllocationValidation
{
    public static IRuleBuilderOptions<T, string?> MustBeAllocationText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(Allocation.TextMaxLength).WithMessage($"must be at most {Allocation.TextMaxLength} characters");

    public static IRuleBuilderOptions<T, Guid> MustBeAllocationId<T>(this IRuleBuilder<T, Guid> rule) =>
        rule.NotEmpty().WithMessage("is required");
}

/// <summary>Which side of an allocation the caller stands on, and so which actions are theirs.</summary>
public enum AllocationSide
{
    /// <summary>The NPS organisation that proposed it, or the NPS above it.</summary>
    Proposer,

    /// <summary>The provider it was sent to.</summary>
    Receiver,
}

/// <summary>
/// Who sees an allocation: the NPS organisation that proposed it (and the NPS above it), and the provider it is
/// addressed to once it has been sent (an override awaiting approval is not sent). Anyone else gets a 404.
/// </summary>
public sealed class AllocationAccess(IAppDbContext db, CaseAccess cases)
{
    public async Task<IQueryable<Allocation>> VisibleAsync(CancellationToken cancellationToken) =>
        Visible(await cases.VisibleHolderCodesAsync(cancellationToken));

    /// <summary>The allocation, tracked, if one of <paramref name="codes"/> sees it; else null.</summary>
    public Task<Allocation?> FindVisibleAsync(IReadOnlyList<string> codes, Guid id, CancellationToken cancellationToken) =>
        Visible(codes).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);

    private IQueryable<Allocation> Visible(IReadOnlyList<string> codes) => db.Allocations.Where(QueryParts.Bind(SeesAllocation, codes));

    /// <summary>
    /// The one definition of who sees an allocation (for <see cref="VisibleAsync"/>, and through <see cref="Sees"/> in
    /// compiled queries): the allocation and the holder codes the caller sees.
    /// </summary>
    internal static readonly Expression<Func<Allocation, IReadOnlyList<string>, bool>> SeesAllocation = (a, codes) =>
        codes.Contains(a.FromOrganisationCode) || (codes.Contains(a.ToOrganisationCode) && a.SentAt != null);

    /// <summary>Stands for <see cref="SeesAllocation"/> in a query given to <see cref="QueryParts.Expand{TDelegate}"/>; not callable.</summary>
    [ExpandsTo(nameof(SeesAllocation))]
    public static bool Sees(Allocation allocation, IReadOnlyList<string> codes) =>
        throw new InvalidOperationException("Only inside a query expanded by QueryParts.Expand.");

    /// <summary>
    /// The allocation, tracked, for an action that belongs to one side: 404 when the caller cannot see it, 403 when it
    /// can but the action is the other side's; 412 when <paramref name="expectedVersion"/> is stale.
    /// </summary>
    public Task<Allocation> GetForChangeAsync(Guid id, AllocationSide side, IfMatch? expectedVersion, CancellationToken cancellationToken) =>
        GetForChangeAsync(
            id, side, expectedVersion, codes => FindVisibleAsync(codes, id, cancellationToken), allocation => allocation, cancellationToken);

    /// <summary>
    /// As above, with what else the action needs read in the same round trip: <paramref name="read"/> reads the one
    /// allocation (and more) as the caller sees it, given the holder codes the caller sees (see <see cref="Sees"/>), and
    /// <paramref name="allocationOf"/> finds the allocation in its row.
    /// </summary>
    public async Task<TRead> GetForChangeAsync<TRead>(
        Guid id,
        AllocationSide side,
        IfMatch? expectedVersion,
        Func<IReadOnlyList<string>, Task<TRead?>> read,
        Func<TRead, Allocation> allocationOf,
        CancellationToken cancellationToken)
        where TRead : class
    {
        var codes = await cases.VisibleHolderCodesAsync(cancellationToken);
        var row = await read(codes) ?? throw new NotFoundException("Allocation", id.ToString());
        var allocation = allocationOf(row);
        var callerSide = codes.Contains(allocation.FromOrganisationCode) ? AllocationSide.Proposer : AllocationSide.Receiver;
        if (callerSide != side)
        {
            throw new ForbiddenException(side == AllocationSide.Proposer
                ? "Only the NPS organisation that proposed the allocation may do this."
                : "Only the provider the allocation was sent to may do this.");
        }

        IfMatch.Ensure(expectedVersion, "allocation", allocation.Version);
        return row;
    }
}
