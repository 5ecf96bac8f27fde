using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Auditing;

/// <summary>
/// The real service, as a process of its own, written to by several clients at once and killed with SIGKILL in the
/// middle of it, three times, once left down for longer than the late-entry limit (a short one here, standing in for a
/// night's maintenance stop), then stopped gracefully: every write it acknowledged is kept, everything is integrated,
/// and its audit log verifies intact, the entries a kill left pending reported as recovered, not as tampering.
/// </summary>
public abstract class ServiceCrashTests
{
    // Short, for a test, but with room for a request held up on a busy machine: every entry is held to it, and with 5 s
    // the first writes of a freshly started service were once integrated later than that after the instant they claim
    // (at a load of 35 on two cores, where a start took a minute and a write several seconds).
    private const int LateEntryLimitSeconds = 15;
    private const int Clients = 4;

    /// <summary>Left down after the kill for longer than the late-entry limit, or started again at once.</summary>
    private static readonly bool[] Kills = [false, true, false];

    /// <summary>The audit log's limits, the same in the service and in the verifier.</summary>
    private static readonly Dictionary<string, string> Limits = new()
    {
        ["Audit:MaxMergeDelaySeconds"] = "3",
        ["Audit:LateEntryLimitSeconds"] = LateEntryLimitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A rhythm that fits the short merge delay: a pass every half second, each a sweep, a checkpoint every second.</summary>
    private static readonly Dictionary<string, string> Rhythm = new(Limits)
    {
        ["Audit:IntegrationIntervalMilliseconds"] = "500",
        ["Audit:LateCommitSweepSeconds"] = "0",
        ["Audit:CheckpointIntervalSeconds"] = "1",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Engine Engine { get; }

    [Fact]
    public async Task Every_acknowledged_write_survives_repeated_kills_and_the_log_verifies_intact_with_what_the_kills_left_pending_recovered()
    {
        if (Engine == Engine.Postgres)
        {
            PostgresCluster.RequireOrSkip();
        }

        // In this process: the database made ready (migrated, reference data) and, at the end, verified. It never integrates.
        await using var app = new ConfiguredApp(Engine, Limits);
        await app.InitializeAsync();
        var token = app.TokenFor(NpsNorthWest, "nw-spo-01", [Roles.Allocator, Roles.CaseManager]);
        var acknowledged = new ConcurrentBag<(string Crn, Guid EntryId)>();
        var mayBeLate = (await PendingAsync(app)).ToHashSet();
        var leftDown = new List<long>();
        var outputs = new List<string>();
        var watch = Stopwatch.StartNew();

        foreach (var longStop in Kills)
        {
            await using var service = await ServiceProcess.StartAsync(app, Rhythm, Ct);
            Log($"started at {watch.Elapsed.TotalSeconds:F1} s");
            await WriteUnderLoadAsync(service, token, acknowledged, () => service.KillAsync());
            outputs.Add(service.Output);
            var pending = await PendingAsync(app);
            Log($"killed at {watch.Elapsed.TotalSeconds:F1} s with {acknowledged.Count} writes acknowledged so far and {pending.Count} entries pending");
            mayBeLate.UnionWith(pending);
            if (longStop)
            {
                leftDown.AddRange(pending);
                await Task.Delay(TimeSpan.FromSeconds(LateEntryLimitSeconds + 1), Ct);
            }
        }

        var exitCode = 0;
        await using (var service = await ServiceProcess.StartAsync(app, Rhythm, Ct))
        {
            Log($"started at {watch.Elapsed.TotalSeconds:F1} s");
            await WriteUnderLoadAsync(service, token, acknowledged, async () => exitCode = await service.StopAsync(Ct));
            outputs.Add(service.Output);
        }

        var (cases, logged, leaves, signed) = await app.InDatabaseAsync(async db => (
            (await db.Cases.Select(c => c.Crn).ToListAsync(Ct)).Select(c => c.Value).ToHashSet(),
            (await db.AuditEntries.Where(e => db.AuditLeaves.Any(l => l.EntrySequence == e.Sequence)).Select(e => e.Id).ToListAsync(Ct)).ToHashSet(),
            await db.AuditLeaves.CountAsync(Ct),
            await db.AuditCheckpoints.MaxAsync(c => c.TreeSize, Ct)));
        var pendingAfterStop = await PendingAsync(app);

        // Verifying is itself a consultation in the log, so it comes after the log is read as the stop left it.
        var report = await VerifyAsync(app);
        Log($"stopped and verified at {watch.Elapsed.TotalSeconds:F1} s");
        var recovered = report["notes"]!.AsArray().Where(n => n!["kind"]!.GetValue<string>() == "recovered-late")
            .Select(n => n!["entrySequence"]!.GetValue<long>()).ToHashSet();
        var diagnosis = $"after {watch.Elapsed.TotalSeconds:F0} s\n{report.ToJsonString()}\n{string.Join("\n----\n", outputs)}";

        Assert.True(exitCode == 0, $"the service exited with {exitCode}:\n{outputs[^1]}");
        Assert.NotEmpty(acknowledged);
        Assert.All(acknowledged, write =>
        {
            Assert.Contains(write.Crn, cases);
            Assert.Contains(write.EntryId, logged);
        });
        Assert.Empty(pendingAfterStop);
        Assert.Equal(leaves, signed);
        Assert.True(report["intact"]!.GetValue<bool>(), diagnosis);
        Assert.NotEmpty(leftDown);
        Assert.Superset(leftDown.ToHashSet(), recovered);
        Assert.Subset(mayBeLate, recovered);
        Assert.Contains("Audit log drained at stop", outputs[^1], StringComparison.Ordinal);
        Assert.All(outputs.Where(o => o.Contains("Audit log recovered at start-up", StringComparison.Ordinal)), output =>
            Assert.True(
                output.IndexOf("Audit log recovered at start-up", StringComparison.Ordinal) < output.IndexOf("Now listening on", StringComparison.Ordinal),
                $"the service listened before it recovered:\n{output}"));
    }

    /// <summary>
    /// Opens cases (and reads each back) with several clients at once until a few dozen writes are acknowledged, then ends
    /// the service with <paramref name="end"/> while the clients are still writing. A write counts as acknowledged only with
    /// a 2xx, and is kept with the entry id its receipt names.
    /// </summary>
    private static async Task WriteUnderLoadAsync(ServiceProcess service, string token, ConcurrentBag<(string Crn, Guid EntryId)> acknowledged, Func<Task> end)
    {
        var target = acknowledged.Count + 40;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();

        async Task WriteAsync()
        {
            using var http = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var crn = NewCrn();
                    using var response = await http.PostAsJsonAsync("/api/v1/cases", NewCase(crn), stop.Token);
                    if (!response.IsSuccessStatusCode)
                    {
                        continue;
                    }

                    acknowledged.Add((crn, AuditReceipt.Parse(response.Headers.GetValues("Audit-Receipt").Single()).EntryId));
                    if (acknowledged.Count >= target)
                    {
                        enough.TrySetResult();
                    }

                    (await http.GetAsync($"/api/v1/cases/{crn}", stop.Token)).Dispose();
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                    // The service is gone (killed, or stopping) or the test is done with it.
                    await Task.Delay(20, CancellationToken.None);
                }
            }
        }

        var writers = Enumerable.Range(0, Clients).Select(_ => Task.Run(WriteAsync, Ct)).ToList();
        await enough.Task.WaitAsync(TimeSpan.FromMinutes(5), Ct);
        await end();
        await stop.CancelAsync();
        await Task.WhenAll(writers);
    }

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    private static Task<List<long>> PendingAsync(CaseTransferApp app) => app.InDatabaseAsync(db => db.AuditEntries
        .Where(e => !db.AuditLeaves.Any(l => l.EntrySequence == e.Sequence)).Select(e => e.Sequence).ToListAsync(Ct));

    private static async Task<JsonObject> VerifyAsync(CaseTransferApp app)
    {
        var response = await app.ClientFor(Nps, "nps-aud-01", Roles.Auditor).PostAsJsonAsync("/api/v1/audit/verify", new JsonObject(), Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
    }
}

public sealed class ServiceCrashTestsOnSqlite : ServiceCrashTests
{
    protected override Engine Engine => Engine.Sqlite;
}

public sealed class ServiceCrashTestsOnPostgres : ServiceCrashTests
{
    protected override Engine Engine => Engine.Postgres;
}
