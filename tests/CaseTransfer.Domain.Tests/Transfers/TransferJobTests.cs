using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Transfers;

namespace CaseTransfer.Domain.Tests.Transfers;

public class TransferJobTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private static TransferJob Schedule(int total = 3, DateTimeOffset? effectiveAt = null, string to = "NPS-NW") =>
        TransferJob.Schedule(Guid.CreateVersion7(), "CRC-CGM", null, to, effectiveAt ?? At, "Reunification", total, "nps-mgr-01", "Dana", "NPS", null, "trace", At);

    private static TransferCandidate Candidate(
        string? holder = "CRC-CGM", int openHoldings = 1, DateTimeOffset? openFrom = null, bool allocation = false, bool escalation = false) =>
        new(1, Guid.CreateVersion7(), Crn.Parse("X123456"), holder, 4, openHoldings, openFrom ?? At.AddDays(-30), allocation, escalation);

    private static void AssertRefusedBy(string rule, Action action) =>
        Assert.Equal(rule, Assert.Throws<DomainRuleViolation>(action).Rule);

    [Fact]
    public void A_job_runs_from_its_effective_instant_and_completes_when_every_case_is_accounted_for()
    {
        var job = Schedule();
        AssertRefusedBy("transfer-not-yet-effective", () => job.Start(At.AddSeconds(-1)));

        job.Start(At);
        job.RecordBatch(2, 0, At.AddSeconds(1));
        Assert.Equal(TransferJobState.Running, job.State);
        job.RecordBatch(0, 1, At.AddSeconds(2));

        Assert.Equal(TransferJobState.Completed, job.State);
        Assert.Equal((2, 1, 0), (job.Moved, job.Skipped, job.Pending));
        Assert.Equal(At.AddSeconds(2), job.CompletedAt);
    }

    [Fact]
    public void A_job_cannot_count_more_cases_than_it_listed_nor_complete_with_cases_unaccounted_for()
    {
        var job = Schedule(total: 2);
        job.Start(At);

        AssertRefusedBy("transfer-overcounted", () => job.RecordBatch(2, 1, At));
        AssertRefusedBy("transfer-items-unaccounted", () => job.Complete(At));
    }

    [Fact]
    public void Every_batch_claims_the_job_by_its_version()
    {
        var job = Schedule();
        AssertRefusedBy("transfer-not-running", job.ClaimBatch);
        job.Start(At);
        var version = job.Version;

        job.ClaimBatch();

        Assert.Equal(version + 1, job.Version);
    }

    [Fact]
    public void A_transfer_to_the_same_organisation_or_effective_well_in_the_past_is_refused()
    {
        AssertRefusedBy("transfer-to-same-organisation", () => Schedule(to: "CRC-CGM"));
        AssertRefusedBy("transfer-effective-in-past", () => Schedule(effectiveAt: At - TransferJob.ClockSkewTolerance - TimeSpan.FromSeconds(1)));
        Assert.Equal(TransferJobState.Scheduled, Schedule(effectiveAt: At - TransferJob.ClockSkewTolerance).State);
    }

    [Fact]
    public void A_case_is_moved_only_while_the_from_organisation_holds_it_with_nothing_open_and_a_holding_begun_by_the_effective_instant()
    {
        var job = Schedule();

        Assert.Null(job.SkipReason(Candidate()));
        Assert.Null(job.SkipReason(Candidate(openFrom: At)));
        Assert.Equal(TransferSkipReasons.NoLongerHeld("CRC-CGM"), job.SkipReason(Candidate(holder: "CRC-LDN")));
        Assert.Equal(TransferSkipReasons.NoLongerHeld("CRC-CGM"), job.SkipReason(Candidate(holder: null)));
        Assert.Equal(TransferSkipReasons.OpenAllocation, job.SkipReason(Candidate(allocation: true)));
        Assert.Equal(TransferSkipReasons.OpenEscalation, job.SkipReason(Candidate(escalation: true)));
        Assert.Equal(TransferSkipReasons.NotOneOpenHolding, job.SkipReason(Candidate(openHoldings: 2)));
        Assert.Equal(TransferSkipReasons.HoldingBeganAfterEffectiveInstant, job.SkipReason(Candidate(openFrom: At.AddTicks(10))));
    }

    [Fact]
    public void A_moved_case_is_disclosed_to_the_new_holder_in_the_requesters_name_and_starts_a_holding_at_the_effective_instant()
    {
        var job = Schedule();
        var crn = Crn.Parse("X123456");
        var caseId = Guid.CreateVersion7();

        var entry = job.AuditEntryFor(Guid.CreateVersion7(), crn, 5, At.AddMinutes(1));
        var holding = job.NewHolding(Guid.CreateVersion7(), caseId);
        var changed = job.HolderChanged(crn);

        Assert.Equal(CaseTransfer.Domain.Auditing.AuditOperation.Disclosure, entry.Operation);
        Assert.Equal(("nps-mgr-01", "NPS", "NPS-NW", 5L), (entry.ActorUserId, entry.ActorOrganisation, entry.Recipients, entry.ResourceVersion!.Value));
        Assert.Equal($"holder: CRC-CGM -> NPS-NW; transfer job {job.Id}", entry.Summary);
        Assert.Equal((caseId, "NPS-NW", At, true), (holding.CaseId, holding.OrganisationCode, holding.From, holding.IsOpen));
        Assert.Equal(("CRC-CGM", "NPS-NW", At), (changed.FromOrganisation, changed.ToOrganisation, changed.OccurredAt));
    }
}
