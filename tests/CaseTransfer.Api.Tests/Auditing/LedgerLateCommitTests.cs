// The SQL below is built from database-assigned numbers, never from input.
#pragma warning disable EF1002, EF1003

using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Infrastructure.Auditing;
using CaseTransfer.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Auditing;

/// <summary>
/// The integrator's ordinary passes read only the entries above what is integrated; a late commit (an entry whose
/// transaction committed after entries with higher sequence numbers were integrated) is left to the next sweep of
/// the late-commit window, which gives it the next free leaf. Each scenario gets a fresh database.
/// </summary>
public abstract class LedgerLateCommitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Engine Engine { get; }

    /// <summary>
    /// Commits an audit entry whose sequence number was taken before <paramref name="meanwhile"/> ran and is below the
    /// entries that committed meanwhile: on PostgreSQL, a transaction holding its entry open while others commit, as a
    /// bulk transfer's concurrent batches do; on SQLite, whose one write lock makes that impossible, a number reserved
    /// and used afterwards. Returns the entry's sequence number.
    /// </summary>
    protected abstract Task<long> CommitLateAsync(CaseTransferApp app, Func<long, Task> meanwhile);

    [Fact]
    public async Task A_late_commit_is_left_to_the_next_sweep_which_gives_it_the_next_free_leaf()
    {
        await using var app = await StartAsync(new Dictionary<string, string>());
        var client = Staff(app);
        await CreateCaseAsync(client);
        await app.IntegrateLedgerAsync();

        var late = await CommitLateAsync(app, async sequence =>
        {
            await CreateCaseAsync(client);
            var meanwhile = await PassAsync(app, sweep: false);
            Assert.True(meanwhile.Integrated > 0);
            Assert.True(meanwhile.HighWaterMark > sequence);
        });

        var idle = await PassAsync(app, sweep: false);
        Assert.Equal(new LedgerPass(false, 0, idle.HighWaterMarkBefore, idle.HighWaterMarkBefore), idle);
        Assert.True(idle.HighWaterMark > late);
        await CreateCaseAsync(client);
        var ordinary = await PassAsync(app, sweep: false);
        Assert.True(ordinary.Integrated > 0);
        Assert.False(await IsIntegratedAsync(app, late), "an ordinary pass integrated a late commit");

        // A sweep takes the late commit first, at the next free index, then what committed after it, in sequence order.
        await CreateCaseAsync(client);
        var size = await TreeSizeAsync(app);
        var pending = await app.InDatabaseAsync(db => db.AuditEntries.LongCountAsync(e => e.Sequence > ordinary.HighWaterMark, Ct));
        var sweep = await PassAsync(app, sweep: true);

        Assert.True(sweep.Swept);
        Assert.Equal(pending + 1, sweep.Integrated);
        Assert.Equal(size, await app.InDatabaseAsync(db => db.AuditLeaves.Where(l => l.EntrySequence == late).Select(l => l.LeafIndex).SingleAsync(Ct)));
        var order = await app.InDatabaseAsync(db => db.AuditLeaves.Where(l => l.LeafIndex >= size).OrderBy(l => l.LeafIndex).Select(l => l.EntrySequence).ToListAsync(Ct));
        Assert.Equal(late, order[0]);
        Assert.Equal(order.Skip(1).Order(), order.Skip(1));
        Assert.All(order.Skip(1), sequence => Assert.True(sequence > ordinary.HighWaterMark));
        Assert.Equal(0, (await PassAsync(app, sweep: true)).Integrated);
        var report = await VerifyAsync(app);
        Assert.True(report["intact"]!.GetValue<bool>(), report.ToJsonString());
    }

    [Fact]
    public async Task The_background_integrator_sweeps_on_its_first_pass_and_then_reads_only_new_entries()
    {
        var passes = new PassLog();
        await using var app = await StartAsync(
            new Dictionary<string, string>
            {
                ["Audit:IntegrationIntervalMilliseconds"] = "20",
                ["Audit:LateCommitSweepSeconds"] = "3600",
                ["Audit:MaxMergeDelaySeconds"] = "7200",
            },
            passes);
        var client = Staff(app);

        // Idle: one sweep when the service starts, then ordinary passes that find nothing.
        await passes.WaitForAsync(6);
        var idle = passes.Snapshot();
        Assert.True(idle[0].Swept);
        Assert.All(idle.Skip(1), p => Assert.False(p.Swept));
        Assert.All(idle.TakeLast(3), p => Assert.Equal(0, p.Integrated));

        // A late commit stays out of the tree while ordinary passes integrate what commits around it.
        await CreateCaseAsync(client);
        var late = await CommitLateAsync(app, async _ =>
        {
            await CreateCaseAsync(client);
            await WaitUntilAsync(async () => await app.InDatabaseAsync(async db => await db.AuditEntries.CountAsync(Ct) == await db.AuditLeaves.CountAsync(Ct)));
        });
        await passes.WaitForAsync(passes.Count + 5);
        await CreateCaseAsync(client);
        await WaitUntilAsync(async () => await app.InDatabaseAsync(async db => await db.AuditEntries.CountAsync(Ct) == await db.AuditLeaves.CountAsync(Ct) + 1));

        Assert.False(await IsIntegratedAsync(app, late), "an ordinary pass integrated a late commit");
        var all = passes.Snapshot();
        Assert.Equal(1, all.Count(p => p.Swept));
        Assert.Contains(all, p => p.Integrated > 0 && !p.Swept);
    }

    [Fact]
    public async Task A_service_whose_sweep_interval_does_not_fit_in_the_merge_delay_does_not_start()
    {
        if (Engine == Engine.Postgres)
        {
            PostgresCluster.RequireOrSkip();
        }

        var app = new ConfiguredApp(Engine, new Dictionary<string, string>
        {
            ["Audit:IntegrationIntervalMilliseconds"] = "500",
            ["Audit:LateCommitSweepSeconds"] = "60",
            ["Audit:MaxMergeDelaySeconds"] = "60",
        });
        try
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => app.InitializeAsync().AsTask());

            var messages = Chain(refused).Select(e => e.Message).ToList();
            Assert.Contains(messages, m => m.Contains("LateCommitSweepSeconds", StringComparison.Ordinal) && m.Contains("MaxMergeDelaySeconds", StringComparison.Ordinal));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private async Task<ConfiguredApp> StartAsync(Dictionary<string, string> settings, PassLog? passes = null)
    {
        if (Engine == Engine.Postgres)
        {
            PostgresCluster.RequireOrSkip();
        }

        var app = new ConfiguredApp(Engine, settings, log: passes);
        await app.InitializeAsync();
        return app;
    }

    private static HttpClient Staff(CaseTransferApp app) => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    private static async Task<LedgerPass> PassAsync(CaseTransferApp app, bool sweep)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LedgerIntegrator>().PassAsync(5_000, mark => sweep ? LedgerIntegrator.SweepFloor(mark) : null, Ct);
    }

    private static async Task<long> TreeSizeAsync(CaseTransferApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LedgerIntegrator>().TreeSizeAsync(Ct);
    }

    private static Task<bool> IsIntegratedAsync(CaseTransferApp app, long sequence) =>
        app.InDatabaseAsync(db => db.AuditLeaves.AnyAsync(l => l.EntrySequence == sequence, Ct));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the background integrator");
            await Task.Delay(20, Ct);
        }
    }

    private static async Task<JsonObject> VerifyAsync(CaseTransferApp app)
    {
        var response = await app.ClientFor(Nps, "nps-aud-01", Roles.Auditor).PostAsJsonAsync("/api/v1/audit/verify", new JsonObject(), Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
    }

    /// <summary>An audit entry as a command writes one, for the tests to commit out of order.</summary>
    protected static AuditEntry Entry()
    {
        var now = DateTimeOffset.UtcNow;
        return new AuditEntry(
            Guid.CreateVersion7(now), now, AuditOperation.Alteration, "AssignResponsibleOfficer", "nw-po-02", "Gareth Evans",
            NpsNorthWest, "case-transfer-cli", "00000000000000000000000000000000", null, "case", null, null, "responsibleOfficer");
    }

    /// <summary>The background integrator's Debug line for each pass, as the service logs it.</summary>
    internal sealed class PassLog : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<(bool Swept, int Integrated)> _passes = new();

        public int Count => _passes.Count;

        public List<(bool Swept, int Integrated)> Snapshot() => [.. _passes];

        public async Task WaitForAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (_passes.Count < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the background integrator logged {_passes.Count} of {count} passes");
                await Task.Delay(20, Ct);
            }
        }

        public ILogger CreateLogger(string categoryName) => categoryName == typeof(AuditLedgerService).FullName ? this : NullLogger;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Debug && state is IReadOnlyList<KeyValuePair<string, object?>> fields && fields.Any(f => f.Key == "Kind"))
            {
                var value = fields.ToDictionary(f => f.Key, f => f.Value);
                _passes.Enqueue(((string)value["Kind"]! == "sweep", Convert.ToInt32(value["Integrated"], CultureInfo.InvariantCulture)));
            }
        }

        public void Dispose()
        {
        }

        private static readonly ILogger NullLogger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }
}

public sealed class LedgerLateCommitTestsOnSqlite : LedgerLateCommitTests
{
    protected override Engine Engine => Engine.Sqlite;

    protected override async Task<long> CommitLateAsync(CaseTransferApp app, Func<long, Task> meanwhile)
    {
        // AUTOINCREMENT numbers from sqlite_sequence: take the next number there, use it after the others commit.
        var late = await app.InDatabaseAsync(async db =>
        {
            var last = await db.Database.SqlQueryRaw<long>("""SELECT "seq" AS "Value" FROM sqlite_sequence WHERE "name" = 'AuditEntries'""").SingleAsync(TestContext.Current.CancellationToken);
            await db.Database.ExecuteSqlRawAsync($"""UPDATE sqlite_sequence SET "seq" = {last + 1} WHERE "name" = 'AuditEntries'""", TestContext.Current.CancellationToken);
            return last + 1;
        });
        await meanwhile(late);
        await app.InDatabaseAsync(db =>
        {
            var entry = Entry();
            db.AuditEntries.Add(entry);
            db.Entry(entry).Property(e => e.Sequence).CurrentValue = late;
            return db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
        return late;
    }
}

public sealed class LedgerLateCommitTestsOnPostgres : LedgerLateCommitTests
{
    protected override Engine Engine => Engine.Postgres;

    protected override async Task<long> CommitLateAsync(CaseTransferApp app, Func<long, Task> meanwhile)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseTransferDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
        var entry = Entry();
        db.AuditEntries.Add(entry);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        await meanwhile(entry.Sequence);
        await transaction.CommitAsync(TestContext.Current.CancellationToken);
        return entry.Sequence;
    }
}

/// <summary>When the background integrator sweeps, on a clock the test moves.</summary>
public sealed class LateCommitSweepScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_first_pass_sweeps_then_passes_are_ordinary_until_the_interval_has_passed()
    {
        var schedule = new LateCommitSweepSchedule(TimeSpan.FromSeconds(5), 50_000, 5_000);

        Assert.True(schedule.IsDue(Start, 100));
        schedule.Completed(new LedgerPass(true, 10, 100, 110), Start);
        Assert.False(schedule.IsDue(Start.AddSeconds(1), 110));
        schedule.Completed(new LedgerPass(false, 0, 110, 110), Start.AddSeconds(1));
        Assert.False(schedule.IsDue(Start.AddSeconds(4.9), 110));
        Assert.True(schedule.IsDue(Start.AddSeconds(5), 110));
        Assert.Equal(1, schedule.Sweeps);
    }

    [Fact]
    public void A_clock_that_goes_back_makes_the_next_pass_sweep()
    {
        var schedule = new LateCommitSweepSchedule(TimeSpan.FromSeconds(5), 50_000, 5_000);
        schedule.Completed(new LedgerPass(true, 0, 100, 100), Start);

        Assert.True(schedule.IsDue(Start.AddMinutes(-10), 100));
    }

    [Fact]
    public void A_sweep_that_fills_its_batch_with_late_commits_alone_is_followed_by_another()
    {
        var schedule = new LateCommitSweepSchedule(TimeSpan.FromSeconds(5), 50_000, 5_000);

        schedule.Completed(new LedgerPass(true, 5_000, 100_000, 100_000), Start);
        Assert.True(schedule.IsDue(Start.AddMilliseconds(10), 100_000));
        schedule.Completed(new LedgerPass(true, 5_000, 100_000, 103_000), Start.AddMilliseconds(10));
        Assert.False(schedule.IsDue(Start.AddMilliseconds(20), 103_000));
        Assert.Equal(1, schedule.Sweeps);
    }

    [Fact]
    public void A_pass_that_could_carry_the_mark_half_the_window_past_the_last_sweep_sweeps_instead()
    {
        var schedule = new LateCommitSweepSchedule(TimeSpan.FromSeconds(5), 50_000, 5_000);
        schedule.Completed(new LedgerPass(true, 0, 1_000, 1_000), Start);

        Assert.False(schedule.IsDue(Start.AddSeconds(1), 45_999));
        Assert.True(schedule.IsDue(Start.AddSeconds(1), 46_000));
        // However the mark got there: another instance's passes count, since the pass decides on the mark it read.
        Assert.True(schedule.IsDue(Start.AddSeconds(1), 900_000));
    }

    /// <summary>
    /// The reviews' case: an entry takes its sequence number and commits only after a complete sweep read the mark
    /// 99,999 above it (just within the window); ordinary passes of 5,000 entries then carry the mark on through a bulk
    /// load, the last of them (still ordinary) also past <paramref name="gap"/> numbers that a batch held or rolled back
    /// by a bulk transfer left unused. Whatever pass the schedule makes sweep next, its floor must still be below the late
    /// entry: a floor of the window alone below the new mark missed it with no gap (first review), and one of the reach
    /// below the new mark missed it with a gap (second review: 55,006 at mark 205,006).
    /// </summary>
    [Theory]
    [InlineData(0L)]
    [InlineData(10_000L)]
    public void A_late_commit_within_the_window_of_the_last_sweep_is_within_reach_of_the_next_one(long gap)
    {
        const long sweptAt = 150_003;
        const long late = sweptAt - LedgerIntegrator.LateCommitWindow + 1;
        var now = Start.AddSeconds(1);
        var schedule = new LateCommitSweepSchedule(TimeSpan.FromSeconds(5), LedgerIntegrator.MaxAdvanceBetweenSweeps, 5_000);
        schedule.Completed(new LedgerPass(true, 3, sweptAt, sweptAt + 3), Start);

        var mark = sweptAt + 3;
        while (!schedule.IsDue(now, mark + 5_000))
        {
            schedule.Completed(new LedgerPass(false, 5_000, mark, mark + 5_000), now);
            mark += 5_000;
        }

        Assert.Null(schedule.FloorFor(now, mark));
        schedule.Completed(new LedgerPass(false, 5_000, mark, mark + 5_000 + gap), now);
        mark += 5_000 + gap;
        Assert.True(schedule.FloorFor(now, mark) < late, $"a sweep at mark {mark} reads only above {schedule.FloorFor(now, mark)}");
    }

    [Theory]
    [InlineData(5, 500, 10, 60, true)]
    [InlineData(0, 500, 10, 60, true)]
    [InlineData(49, 499, 10, 60, true)]
    [InlineData(49, 500, 10, 60, false)]
    [InlineData(59, 499, 0, 60, true)]
    [InlineData(50, 0, 10, 60, false)]
    [InlineData(-1, 500, 10, 60, false)]
    public void The_sweep_integration_and_checkpoint_intervals_must_fit_in_the_merge_delay(
        int sweepSeconds, int intervalMilliseconds, int checkpointSeconds, int mergeDelaySeconds, bool accepted)
    {
        var options = new AuditLedgerOptions
        {
            LateCommitSweepSeconds = sweepSeconds,
            IntegrationIntervalMilliseconds = intervalMilliseconds,
            CheckpointIntervalSeconds = checkpointSeconds,
            MaxMergeDelaySeconds = mergeDelaySeconds,
        };

        var refused = Record.Exception(options.Validate);

        Assert.Equal(accepted, refused is null);
        Assert.True(refused is null or InvalidOperationException);
    }
}
