using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Allocations;
using FluentValidation;

namespace CaseTransfer.Application.Allocations;

/// <summary>The one shape of every action on an allocation: find it for the caller's side, check its version, act, answer the new view.</summary>
public sealed class AllocationChanges(AllocationAccess access, AllocationViews views)
{
    public async Task<AllocationView> ApplyAsync(
        Guid id, AllocationSide side, IfMatch? expectedVersion, Func<Allocation, Task> change, CancellationToken cancellationToken)
    {
        var allocation = await access.GetForChangeAsync(id, side, expectedVersion, cancellationToken);
        var before = allocation.State;
        await change(allocation);
        return await views.ChangedAsync(allocation, before, cancellationToken);
    }

    /// <summary>As above, for a change that reads the case itself: it returns the case's view, so the answer reads nothing more.</summary>
    public Task<AllocationView> ApplyAsync(
        Guid id, AllocationSide side, IfMatch? expectedVersion, Func<Allocation, Task<AllocationCaseView>> change, CancellationToken cancellationToken) =>
        ApplyAsync(id, side, expectedVersion, codes => access.FindVisibleAsync(codes, id, cancellationToken), allocation => allocation, change, cancellationToken);

    /// <summary>
    /// As above, with what the change needs read in the allocation's own round trip (<see cref="AllocationAccess.GetForChangeAsync{TRead}"/>).
    /// </summary>
    public async Task<AllocationView> ApplyAsync<TRead>(
        Guid id,
        AllocationSide side,
        IfMatch? expectedVersion,
        Func<IReadOnlyList<string>, Task<TRead?>> read,
        Func<TRead, Allocation> allocationOf,
        Func<TRead, Task<AllocationCaseView>> change,
        CancellationToken cancellationToken)
        where TRead : class
    {
        var row = await access.GetForChangeAsync(id, side, expectedVersion, read, allocationOf, cancellationToken);
        var allocation = allocationOf(row);
        var before = allocation.State;
        var @case = await change(row);
        return views.Changed(allocation, before, @case);
    }

    public Task<AllocationView> ApplyAsync(AllocationTextAction action, AllocationSide side, Action<Allocation> change, CancellationToken cancellationToken) =>
        ApplyAsync(action.Id, side, action.ExpectedVersion, allocation =>
        {
            change(allocation);
            return Task.CompletedTask;
        }, cancellationToken);
}

/// <summary>
/// An action on an allocation that carries at most some words (approve, refuse, withdraw): an alteration whose text
/// stays out of the audit summary.
/// </summary>
public abstract record AllocationTextAction(Guid Id, string? Text, IfMatch? ExpectedVersion) : AlterationCommand(ExpectedVersion);

/// <summary>The shape every text action shares: an allocation id and words of a bounded length.</summary>
public abstract class AllocationTextActionValidator<T> : AbstractValidator<T>
    where T : AllocationTextAction
{
    protected AllocationTextActionValidator()
    {
        RuleFor(c => c.Id).MustBeAllocationId();
        RuleFor(c => c.Text).MustBeAllocationText();
    }
}

