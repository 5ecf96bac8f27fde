using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace CaseTransfer.Domain.Auditing;

/// <summary>
/// What a start-up recovery wrote in the log: the sequence numbers of the entries it integrated late (committed before
/// the service stopped without integrating them, and integrated only when it started again), the service's last
/// integration before the stop and when the recovery ran. It is an audit entry like any other (so a leaf, in the
/// same pass as the entries it names, after them), with <see cref="Action"/> as its action, <see cref="Reason"/> as its
/// justification and <see cref="Summary"/> as its summary, for example
/// <c>integrated late at start-up: 13 entries in 1041-1052,1060; last integration before the stop: 2026-11-24T10:15:30.123456Z; recovery: 2026-11-24T18:02:11.000001Z</c>.
/// </summary>
public sealed record LedgerRecovery(IReadOnlyList<SequenceRange> Late, int LateCount, DateTimeOffset? LastIntegrationBefore, DateTimeOffset RecoveredAt)
{
    public const string Action = "RecoverAuditLog";
    public const string ResourceType = "audit-log";
    public const string Reason =
        "The service stopped (it was killed or crashed) before it integrated these entries into the audit log; it integrated them when it started again, before it accepted requests.";

    /// <summary>The longest summary an audit entry holds.</summary>
    public const int MaxSummaryLength = 1000;

    private const string LatePrefix = "integrated late at start-up: ";
    private const string LastPrefix = "; last integration before the stop: ";
    private const string RecoveredPrefix = "; recovery: ";
    private const string NoIntegration = "none";
    private const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    // Room for everything but the ranges: the prefixes, a count and two instants.
    private const int RangeBudget = MaxSummaryLength - 200;

    /// <summary>
    /// Whether an entry counts as logged late: more than <paramref name="limit"/> passed between the instant it claims and
    /// its integration. An entry the service logs in the ordinary way never is (it is integrated within the merge delay,
    /// which the limit exceeds); one inserted behind the service's back with an old instant is.
    /// </summary>
    public static bool IsLate(DateTimeOffset occurredAt, DateTimeOffset integratedAt, TimeSpan limit) => integratedAt - occurredAt > limit;

    /// <summary>
    /// Whether an entry integrated late at a recovery could have been pending when the service stopped: it would not have
    /// been late had it been integrated at the service's last integration before the stop (<paramref name="lastIntegrationBefore"/>,
    /// as the log shows it). A running service integrates every entry within the merge delay, so an entry claiming an
    /// earlier instant would already have been logged then: it was inserted while the service was down. With no earlier
    /// integration the log knows no earlier instant to hold it to.
    /// </summary>
    public static bool IsPlausible(DateTimeOffset occurredAt, DateTimeOffset? lastIntegrationBefore, TimeSpan limit) =>
        lastIntegrationBefore is not { } last || !IsLate(occurredAt, last, limit);

    /// <summary>
    /// The record of a recovery pass that integrates <paramref name="integrated"/> at <paramref name="integratedAt"/>, or null
    /// when none of them is late (nothing to explain). Ranges that would not fit in a summary are joined across their
    /// smallest gaps, so a range may then also span numbers that were not integrated late (rolled back, or logged before).
    /// </summary>
    public static LedgerRecovery? For(
        IEnumerable<(long Sequence, DateTimeOffset OccurredAt)> integrated, DateTimeOffset? lastIntegrationBefore, DateTimeOffset integratedAt, TimeSpan limit)
    {
        var late = integrated.Where(e => IsLate(e.OccurredAt, integratedAt, limit)).Select(e => e.Sequence).Distinct().Order().ToList();
        if (late.Count == 0)
        {
            return null;
        }

        var widest = (2 * late[^1].ToString(CultureInfo.InvariantCulture).Length) + 2;
        return new LedgerRecovery(SequenceRange.Cover(late, Math.Max(1, RangeBudget / widest)), late.Count, lastIntegrationBefore, integratedAt);
    }

    public string Summary
    {
        get
        {
            var text = new StringBuilder(LatePrefix)
                .Append(LateCount.ToString(CultureInfo.InvariantCulture)).Append(LateCount == 1 ? " entry in " : " entries in ")
                .AppendJoin(',', Late)
                .Append(LastPrefix).Append(LastIntegrationBefore is { } last ? Format(last) : NoIntegration)
                .Append(RecoveredPrefix).Append(Format(RecoveredAt));
            return text.ToString();
        }
    }

    /// <summary>Whether the recovery names <paramref name="sequence"/> among those it integrated late.</summary>
    public bool Names(long sequence)
    {
        int low = 0, high = Late.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (sequence < Late[middle].First)
            {
                high = middle - 1;
            }
            else if (sequence > Late[middle].Last)
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads a recovery back from its summary, exactly as <see cref="Summary"/> writes it.</summary>
    public static bool TryParse(string? summary, [NotNullWhen(true)] out LedgerRecovery? recovery)
    {
        recovery = null;
        if (summary is null || !summary.StartsWith(LatePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var last = summary.IndexOf(LastPrefix, StringComparison.Ordinal);
        var recovered = summary.IndexOf(RecoveredPrefix, StringComparison.Ordinal);
        if (last < 0 || recovered < last)
        {
            return false;
        }

        var late = summary[LatePrefix.Length..last];
        var space = late.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !int.TryParse(late[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            return false;
        }

        var unit = count == 1 ? " entry in " : " entries in ";
        if (!late[space..].StartsWith(unit, StringComparison.Ordinal)
            || !SequenceRange.TryParseList(late[(space + unit.Length)..], out var ranges))
        {
            return false;
        }

        var lastText = summary[(last + LastPrefix.Length)..recovered];
        DateTimeOffset? lastIntegration = null;
        if (lastText != NoIntegration)
        {
            if (!TryParseInstant(lastText, out var instant))
            {
                return false;
            }

            lastIntegration = instant;
        }

        if (!TryParseInstant(summary[(recovered + RecoveredPrefix.Length)..], out var recoveredAt))
        {
            return false;
        }

        recovery = new LedgerRecovery(ranges, count, lastIntegration, recoveredAt);
        return recovery.Summary == summary;
    }

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString(InstantFormat, CultureInfo.InvariantCulture);

    private static bool TryParseInstant(string text, out DateTimeOffset at) =>
        DateTimeOffset.TryParseExact(text, InstantFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);
}

/// <summary>A run of sequence numbers, both ends included: <c>1041-1052</c>, or <c>1060</c> for one.</summary>
public readonly record struct SequenceRange(long First, long Last)
{
    public override string ToString() =>
        First == Last ? First.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");

    /// <summary>
    /// The fewest ranges covering exactly <paramref name="sorted"/> (ascending, distinct), then, while there are more than
    /// <paramref name="most"/>, neighbours joined across the smallest gaps.
    /// </summary>
    public static IReadOnlyList<SequenceRange> Cover(IReadOnlyList<long> sorted, int most)
    {
        var exact = new List<SequenceRange>();
        foreach (var sequence in sorted)
        {
            if (exact.Count > 0 && exact[^1].Last + 1 == sequence)
            {
                exact[^1] = exact[^1] with { Last = sequence };
            }
            else
            {
                exact.Add(new SequenceRange(sequence, sequence));
            }
        }

        if (exact.Count <= most)
        {
            return exact;
        }

        // Join after range i across the (count - most) smallest gaps; ties go to the earlier gap, so the result is the same every time.
        var joined = Enumerable.Range(0, exact.Count - 1)
            .OrderBy(i => exact[i + 1].First - exact[i].Last).ThenBy(i => i)
            .Take(exact.Count - most)
            .ToHashSet();
        var covered = new List<SequenceRange>(most);
        for (var i = 0; i < exact.Count; i++)
        {
            if (i > 0 && joined.Contains(i - 1))
            {
                covered[^1] = covered[^1] with { Last = exact[i].Last };
            }
            else
            {
                covered.Add(exact[i]);
            }
        }

        return covered;
    }

    /// <summary>Reads <c>a-b,c,...</c>: ascending ranges that neither overlap nor touch, as <see cref="Cover"/> writes them.</summary>
    public static bool TryParseList(string text, [NotNullWhen(true)] out IReadOnlyList<SequenceRange>? ranges)
    {
        ranges = null;
        var list = new List<SequenceRange>();
        foreach (var part in text.Split(','))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var firstText = dash < 0 ? part : part[..dash];
            var lastText = dash < 0 ? part : part[(dash + 1)..];
            if (!long.TryParse(firstText, NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || !long.TryParse(lastText, NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                || last < first || (dash >= 0 && last == first) || (list.Count > 0 && first <= list[^1].Last + 1))
            {
                return false;
            }

            list.Add(new SequenceRange(first, last));
        }

        ranges = list;
        return true;
    }
}

/// <summary>
/// What <see cref="LateEntryReview"/> found about one entry logged late: when it claims to have happened, when it was
/// integrated, and whether a start-up recovery recorded in the log named it (<see cref="RecoveryLeafIndex"/>, with the
/// last integration before the stop it states) and explains it (<see cref="Explained"/>: named, and plausible as pending
/// when the service stopped).
/// </summary>
public readonly record struct LateEntryFinding(
    long LeafIndex,
    long EntrySequence,
    Guid EntryId,
    DateTimeOffset OccurredAt,
    DateTimeOffset IntegratedAt,
    DateTimeOffset? LastIntegrationBefore,
    long? RecoveryLeafIndex,
    bool Explained);

/// <summary>
/// Reviews the log's leaves in index order for entries logged late (<see cref="LedgerRecovery.IsLate"/>) and decides which
/// a start-up recovery recorded in the log explains. An integration pass gives every leaf it appends the same instant,
/// so leaves that follow one another with one instant are one pass. A recovery's record is the last leaf of its pass and
/// its entry claims the pass's instant to the microsecond: the service writes it in the pass's own transaction. An entry
/// inserted into the entries table to look like a record is integrated like any other, so it is neither (it cannot know
/// the instant of a pass that has not happened, and the service's own record, or its next entry, comes after it).
/// A late entry is explained only by the record of its own pass, only if the record names it, and only if the instant it
/// claims is plausible for an entry pending when the service stopped (<see cref="LedgerRecovery.IsPlausible"/> against the
/// last integration before the stop, which the service read from the leaves when it recovered and the record states; a
/// recovery of several passes states the same in each). Every other late entry is reported unexplained.
/// </summary>
public sealed class LateEntryReview(TimeSpan limit, Action<LateEntryFinding> report)
{
    private readonly List<(long LeafIndex, long Sequence, Guid Id, DateTimeOffset OccurredAt)> _late = [];
    private DateTimeOffset? _pass;
    private (long LeafIndex, LedgerRecovery Recovery)? _record;

    /// <summary>The next leaf, with its entry as stored, or null when the entry is gone or no longer matches the leaf.</summary>
    public void Add(long leafIndex, long entrySequence, DateTimeOffset integratedAt, AuditEntryFields? entry)
    {
        if (_pass != integratedAt)
        {
            ClosePass();
            _pass = integratedAt;
        }

        // Only the last leaf of a pass can be its record.
        _record = null;
        if (entry is not { } stored)
        {
            return;
        }

        if (stored.Action == LedgerRecovery.Action && stored.OccurredAt == integratedAt && LedgerRecovery.TryParse(stored.Summary, out var recovery))
        {
            _record = (leafIndex, recovery);
        }
        else if (LedgerRecovery.IsLate(stored.OccurredAt, integratedAt, limit))
        {
            _late.Add((leafIndex, entrySequence, stored.Id, stored.OccurredAt));
        }
    }

    /// <summary>Decides the last pass: call after the last leaf.</summary>
    public void Finish() => ClosePass();

    private void ClosePass()
    {
        foreach (var late in _late)
        {
            var recovery = _record is { } record && record.Recovery.Names(late.Sequence) ? record : ((long LeafIndex, LedgerRecovery Recovery)?)null;
            report(new LateEntryFinding(
                late.LeafIndex, late.Sequence, late.Id, late.OccurredAt, _pass!.Value, recovery?.Recovery.LastIntegrationBefore, recovery?.LeafIndex,
                recovery is { } named && LedgerRecovery.IsPlausible(late.OccurredAt, named.Recovery.LastIntegrationBefore, limit)));
        }

        _late.Clear();
        _record = null;
    }
}
