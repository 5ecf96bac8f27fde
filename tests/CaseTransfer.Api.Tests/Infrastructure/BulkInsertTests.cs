using CaseTransfer.Application.Common.Persistence;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Transfers;
using CaseTransfer.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CaseTransfer.Api.Tests.Infrastructure;

/// <summary>
/// Rows written by the bulk insert (on PostgreSQL, binary COPY encoded by <see cref="PostgresBinaryCopy"/>) read
/// back exactly as the same rows written by SaveChanges, column by column: text beyond ASCII, nulls, instants with
/// sub-microsecond ticks, uuids. Runs in a transaction that is rolled back, so the shared database is left as it was.
/// </summary>
public abstract class BulkInsertTests(CaseTransferApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bulk_inserted_rows_read_back_as_SaveChanges_writes_them()
    {
        var at = new DateTimeOffset(2026, 11, 27, 13, 45, 12, TimeSpan.Zero).AddTicks(1_234_567);
        var job = TransferJob.Schedule(
            Guid.CreateVersion7(), "NPS-NW", null, "CRC-CGM", at, "Réunification — 統合 ✓ \"quoted\" \\ back", 2,
            "nps-mgr-01", "Zoë O'Brien-Łukasz", "NPS", clientId: null, "trace-é", at);
        Entry Make(Crn crn) => new(
            job.AuditEntryFor(Guid.CreateVersion7(), crn, 7, at),
            OutboxMessage.ForEachCrn(c => job.HolderChanged(crn) with { Crn = c }, [crn.Value], at, "|CRC-CGM|NPS-NW|").Single());

        var saved = Make(Crn.Parse("Q100001"));
        var bulk = Make(Crn.Parse("Q100002"));
        await app.InDatabaseAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            db.AuditEntries.Add(saved.AuditEntry);
            db.OutboxMessages.Add(saved.Event);
            await db.SaveChangesAsync(Ct);
            await BulkInsert.InsertAsync(db, [bulk.AuditEntry], Ct);
            await BulkInsert.InsertAsync(db, [bulk.Event], Ct);
            db.ChangeTracker.Clear();

            var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Id == saved.AuditEntry.Id || e.Id == bulk.AuditEntry.Id).ToListAsync(Ct);
            var events = await db.OutboxMessages.AsNoTracking().Where(e => e.Id == saved.Event.Id || e.Id == bulk.Event.Id).ToListAsync(Ct);
            AssertSameColumns(db.Model.FindEntityType(typeof(AuditEntry))!, entries.Single(e => e.Id == saved.AuditEntry.Id), entries.Single(e => e.Id == bulk.AuditEntry.Id), "Crn", "ResourceId");
            AssertSameColumns(db.Model.FindEntityType(typeof(OutboxMessage))!, events.Single(e => e.Id == saved.Event.Id), events.Single(e => e.Id == bulk.Event.Id), "Crn", "Payload");
            await transaction.RollbackAsync(Ct);
            return 0;
        });
    }

    [Fact]
    public async Task Text_that_cannot_be_encoded_fares_in_the_bulk_insert_as_in_SaveChanges()
    {
        // A lone surrogate is not text UTF-8 can carry. PostgreSQL's driver refuses it; the bulk insert must not store
        // it altered (U+FFFD in its place) where SaveChanges fails, nor fail where SaveChanges stores it.
        var at = DateTimeOffset.UtcNow;
        var job = TransferJob.Schedule(
            Guid.CreateVersion7(), "NPS-NW", null, "CRC-CGM", at, "bad \uD800 reason", 2, "nps-mgr-01", "bad \uD800 name", "NPS", clientId: null, "trace", at);
        async Task<string> OutcomeAsync(Func<CaseTransferDbContext, AuditEntry, Task> write) => await app.InDatabaseAsync(async db =>
        {
            var entry = job.AuditEntryFor(Guid.CreateVersion7(), Crn.Parse("Q100003"), 7, at);
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            try
            {
                await write(db, entry);
                db.ChangeTracker.Clear();
                var stored = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Id == entry.Id, Ct);
                return $"stored: {stored.ActorUserName} / {stored.Justification}";
            }
            catch (Exception e) when (e is DbUpdateException or ArgumentException or InvalidOperationException or Npgsql.NpgsqlException)
            {
                return "refused";
            }
            finally
            {
                db.ChangeTracker.Clear();
                await transaction.RollbackAsync(Ct);
            }
        });

        var saved = await OutcomeAsync(async (db, entry) =>
        {
            db.AuditEntries.Add(entry);
            await db.SaveChangesAsync(Ct);
        });
        var bulk = await OutcomeAsync((db, entry) => BulkInsert.InsertAsync(db, [entry], Ct));
        Assert.Equal(saved, bulk);
    }

    /// <summary>Every stored column but the keys, the id and the named ones (which differ by design) is equal.</summary>
    private static void AssertSameColumns(IEntityType type, object expected, object actual, params string[] differing)
    {
        var compared = 0;
        foreach (var property in type.GetProperties().Where(p => !p.IsKey() && p.Name != "Id" && !differing.Contains(p.Name)))
        {
            var getter = property.GetGetter();
            Assert.True(Equals(getter.GetClrValue(expected), getter.GetClrValue(actual)), $"{type.ClrType.Name}.{property.Name}: {getter.GetClrValue(expected)} written by SaveChanges, {getter.GetClrValue(actual)} by the bulk insert");
            compared++;
        }

        Assert.True(compared >= 3, $"{type.ClrType.Name}: only {compared} columns compared");
    }

    private sealed record Entry(AuditEntry AuditEntry, OutboxMessage Event);
}

public sealed class BulkInsertTestsOnSqlite(SqliteApp app) : BulkInsertTests(app), IClassFixture<SqliteApp>;

public sealed class BulkInsertTestsOnPostgres(PostgresApp app) : BulkInsertTests(app), IClassFixture<PostgresApp>;
