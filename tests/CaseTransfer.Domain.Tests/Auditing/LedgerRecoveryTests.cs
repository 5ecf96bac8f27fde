using CaseTransfer.Domain.Auditing;

namespace CaseTransfer.Domain.Tests.Auditing;

/// <summary>
/// A start-up recovery names in the log the entries it integrated late, and verification reads that back: an entry
/// pending when the service stopped is explained, one inserted while it was down with an old instant is not.
/// </summary>
public class LedgerRecoveryTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(6);
    private static readonly DateTimeOffset Stop = new(2026, 11, 24, 22, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Morning = new(2026, 11, 25, 7, 30, 0, TimeSpan.Zero);

    [Fact]
    public void A_recovery_names_only_the_entries_late_by_the_limit_as_ranges_and_reads_back_from_its_summary()
    {
        var integrated = new[] { 1041L, 1042, 1043, 1044, 1060, 1070 }
            .Select(s => (s, s == 1070 ? Morning.AddMinutes(-1) : Stop.AddSeconds(-1)));

        var recovery = LedgerRecovery.For(integrated, Stop.AddSeconds(-2), Morning, Limit)!;

        Assert.Equal(
            "integrated late at start-up: 5 entries in 1041-1044,1060; last integration before the stop: 2026-11-24T21:59:58.000000Z; recovery: 2026-11-25T07:30:00.000000Z",
            recovery.Summary);
        Assert.True(LedgerRecovery.TryParse(recovery.Summary, out var read));
        Assert.Equal(recovery.Summary, read.Summary);
        Assert.True(read.Names(1043));
        Assert.True(read.Names(1060));
        Assert.False(read.Names(1045));
        Assert.False(read.Names(1070));
    }

    [Fact]
    public void Nothing_late_needs_no_recovery()
    {
        Assert.Null(LedgerRecovery.For([(7L, Morning.AddMinutes(-6))], Stop, Morning, Limit));
    }

    [Fact]
    public void A_recovery_with_no_earlier_integration_says_none()
    {
        var recovery = LedgerRecovery.For([(1L, Stop)], null, Morning, Limit)!;

        Assert.Contains("last integration before the stop: none;", recovery.Summary, StringComparison.Ordinal);
        Assert.True(LedgerRecovery.TryParse(recovery.Summary, out var read));
        Assert.Null(read.LastIntegrationBefore);
    }

    [Fact]
    public void Too_many_ranges_for_a_summary_are_joined_across_their_smallest_gaps()
    {
        // Every other number from ten million on: 3,000 ranges of one, far more than a summary holds.
        var integrated = Enumerable.Range(0, 3_000).Select(i => (10_000_000L + (2 * i), Stop)).ToList();
        integrated.Add((20_000_000L, Stop));

        var recovery = LedgerRecovery.For(integrated, Stop, Morning, Limit)!;

        Assert.True(recovery.Summary.Length <= LedgerRecovery.MaxSummaryLength, $"{recovery.Summary.Length} characters");
        Assert.Equal(3_001, recovery.LateCount);
        Assert.All(integrated, e => Assert.True(recovery.Names(e.Item1), $"{e.Item1} is not named"));
        Assert.Equal(new SequenceRange(20_000_000, 20_000_000), recovery.Late[^1]);
        Assert.True(LedgerRecovery.TryParse(recovery.Summary, out _));
    }

    [Theory]
    [InlineData("integrated late at start-up: 1 entry in 5; last integration before the stop: none; recovery: 2026-11-25T07:30:00.000000Z", true)]
    [InlineData("integrated late at start-up: 2 entries in 5-6; last integration before the stop: none; recovery: 2026-11-25T07:30:00.000000Z", true)]
    [InlineData("integrated late at start-up: 2 entries in 6-5; last integration before the stop: none; recovery: 2026-11-25T07:30:00.000000Z", false)]
    [InlineData("integrated late at start-up: 2 entries in 5,6; last integration before the stop: none; recovery: 2026-11-25T07:30:00.000000Z", false)]
    [InlineData("integrated late at start-up: 2 entries in 7,5; last integration before the stop: none; recovery: 2026-11-25T07:30:00.000000Z", false)]
    [InlineData("integrated late at start-up: 1 entries in 5; last integration before the stop: none; recovery: 2026-11-25T07:30:00.000000Z", false)]
    [InlineData("integrated late at start-up: 1 entry in 5; last integration before the stop: yesterday; recovery: 2026-11-25T07:30:00.000000Z", false)]
    [InlineData("integrated late at start-up: 1 entry in 5; last integration before the stop: none; recovery: 2026-11-25T07:30:00Z", false)]
    [InlineData("integrated late at start-up: 1 entry in 5; last integration before the stop: none; recovery: 2026-11-25T07:30:00.000000Z and more", false)]
    [InlineData("responsibleOfficer", false)]
    [InlineData(null, false)]
    public void Only_a_summary_written_exactly_as_a_recovery_writes_it_reads_back(string? summary, bool reads)
    {
        Assert.Equal(reads, LedgerRecovery.TryParse(summary, out _));
    }

    [Fact]
    public void An_entry_pending_when_the_service_stopped_is_explained_by_the_recovery_that_names_it()
    {
        var log = new Log();
        log.Pass(Stop.AddSeconds(-30), (1, Stop.AddSeconds(-31)), (2, Stop.AddSeconds(-30.5)));
        log.Recovery(Morning, (3, Stop.AddSeconds(-1)), (4, Stop.AddSeconds(-0.2)));

        var findings = log.Review();

        Assert.Equal([3L, 4L], findings.Select(f => f.EntrySequence));
        Assert.All(findings, f =>
        {
            Assert.True(f.Explained);
            Assert.Equal(4, f.RecoveryLeafIndex);
            Assert.Equal(Stop.AddSeconds(-30), f.LastIntegrationBefore);
        });
    }

    [Fact]
    public void An_entry_inserted_while_the_service_was_down_with_an_old_instant_is_not_explained_though_the_recovery_names_it()
    {
        var log = new Log();
        log.Pass(Stop.AddSeconds(-30), (1, Stop.AddSeconds(-31)));
        log.Recovery(Morning, (2, Stop.AddSeconds(-1)), (3, Stop.AddDays(-1)));

        var findings = log.Review();

        Assert.True(findings.Single(f => f.EntrySequence == 2).Explained);
        var inserted = findings.Single(f => f.EntrySequence == 3);
        Assert.False(inserted.Explained);
        Assert.Equal(3, inserted.RecoveryLeafIndex);
    }

    [Fact]
    public void A_recovery_of_several_passes_holds_the_entries_of_each_to_the_last_integration_before_the_stop()
    {
        var log = new Log();
        log.Pass(Stop.AddSeconds(-30), (1, Stop.AddSeconds(-31)));
        log.Recovery(Morning, (2, Stop.AddSeconds(-1)));
        log.RecoveryContinued(Morning.AddSeconds(1), Stop.AddSeconds(-30), (3, Stop.AddSeconds(-0.5)), (4, Stop.AddDays(-1)));

        var findings = log.Review();

        Assert.Equal([2L, 3L], findings.Where(f => f.Explained).Select(f => f.EntrySequence));
        Assert.All(findings, f => Assert.Equal(Stop.AddSeconds(-30), f.LastIntegrationBefore));
        Assert.False(findings.Single(f => f.EntrySequence == 4).Explained);
    }

    [Fact]
    public void An_entry_claiming_an_instant_just_within_the_limit_of_the_last_integration_is_plausible_and_one_beyond_is_not()
    {
        var last = Stop.AddSeconds(-30);

        Assert.True(LedgerRecovery.IsPlausible(last - Limit, last, Limit));
        Assert.False(LedgerRecovery.IsPlausible(last - Limit - TimeSpan.FromMicroseconds(1), last, Limit));
        Assert.True(LedgerRecovery.IsPlausible(Stop.AddDays(-100), null, Limit));
    }

    [Fact]
    public void A_late_entry_no_recovery_names_is_not_explained()
    {
        var log = new Log();
        log.Pass(Stop, (1, Stop));
        log.Pass(Morning, (2, Stop.AddDays(-1)));

        var finding = Assert.Single(log.Review());

        Assert.False(finding.Explained);
        Assert.Null(finding.RecoveryLeafIndex);
    }

    [Fact]
    public void A_recovery_entry_forged_in_the_entries_table_explains_nothing()
    {
        // Whoever inserts a forged record cannot know the instant of the pass that will integrate it, and the entries
        // integrated after it in that pass (the service's own record among them) follow it: it is neither at the pass's
        // instant nor its last leaf. The late entry here would be plausible, so only that keeps it unexplained.
        var forged = new LedgerRecovery([new SequenceRange(3, 3)], 1, Stop, Morning.AddMinutes(-5)).Summary;
        var atAnotherInstant = new Log();
        atAnotherInstant.Pass(Stop, (1, Stop));
        atAnotherInstant.Pass(Morning, (3, Stop.AddSeconds(-1)));
        atAnotherInstant.Add(Morning, 4, Entry(Morning.AddMinutes(-5), LedgerRecovery.Action, forged));
        var notLast = new Log();
        notLast.Pass(Stop, (1, Stop));
        notLast.Pass(Morning, (3, Stop.AddSeconds(-1)));
        notLast.Add(Morning, 4, Entry(Morning, LedgerRecovery.Action, forged));
        notLast.Add(Morning, 5, Entry(Morning.AddMinutes(-4)));

        Assert.False(Assert.Single(atAnotherInstant.Review()).Explained);
        Assert.False(Assert.Single(notLast.Review()).Explained);
    }

    [Fact]
    public void A_recovery_explains_only_the_late_entries_of_its_own_pass()
    {
        var log = new Log();
        log.Pass(Stop, (1, Stop));
        log.Pass(Morning, (2, Stop.AddSeconds(-1)));
        log.Pass(Morning.AddSeconds(1), (3, Morning));
        log.Add(Morning.AddSeconds(1), 4, Entry(Morning.AddSeconds(1), LedgerRecovery.Action, new LedgerRecovery([new SequenceRange(2, 3)], 2, Morning, Morning.AddSeconds(1)).Summary));

        var finding = Assert.Single(log.Review());

        Assert.Equal(2, finding.EntrySequence);
        Assert.False(finding.Explained);
        Assert.Null(finding.RecoveryLeafIndex);
    }

    private static AuditEntryFields Entry(DateTimeOffset occurredAt, string action = "CreateCase", string? summary = null) => new(
        Guid.CreateVersion7(occurredAt), occurredAt, nameof(AuditOperation.Collection), action, "nw-spo-01", "Priya Patel", "NPS-NW", null,
        "0af7651916cd43dd8448eb211c80319c", null, "case", null, null, summary, null, null);

    /// <summary>Leaves in index order, as verification reads them.</summary>
    private sealed class Log
    {
        private readonly List<(DateTimeOffset IntegratedAt, long Sequence, AuditEntryFields Entry)> _leaves = [];
        private long _nextSequence = 1_000;

        public void Add(DateTimeOffset integratedAt, long sequence, AuditEntryFields entry) => _leaves.Add((integratedAt, sequence, entry));

        public void Pass(DateTimeOffset at, params (long Sequence, DateTimeOffset OccurredAt)[] entries)
        {
            foreach (var (sequence, occurredAt) in entries)
            {
                Add(at, sequence, Entry(occurredAt));
            }
        }

        /// <summary>A recovery pass as the service makes one: the entries, then its record, at one instant.</summary>
        public void Recovery(DateTimeOffset at, params (long Sequence, DateTimeOffset OccurredAt)[] entries) =>
            RecoveryContinued(at, _leaves.Count == 0 ? null : _leaves[^1].IntegratedAt, entries);

        /// <summary>A recovery pass whose record states <paramref name="lastIntegrationBefore"/>, as every pass of a recovery after its first does.</summary>
        public void RecoveryContinued(DateTimeOffset at, DateTimeOffset? lastIntegrationBefore, params (long Sequence, DateTimeOffset OccurredAt)[] entries)
        {
            Pass(at, entries);
            var recovery = LedgerRecovery.For(entries.Select(e => (e.Sequence, e.OccurredAt)), lastIntegrationBefore, at, Limit)!;
            Add(at, _nextSequence++, Entry(at, LedgerRecovery.Action, recovery.Summary));
        }

        public List<LateEntryFinding> Review()
        {
            var findings = new List<LateEntryFinding>();
            var review = new LateEntryReview(Limit, findings.Add);
            for (var i = 0; i < _leaves.Count; i++)
            {
                review.Add(i, _leaves[i].Sequence, _leaves[i].IntegratedAt, _leaves[i].Entry);
            }

            review.Finish();
            return findings;
        }
    }
}
