using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.SubjectAccess;

namespace CaseTransfer.Domain.Tests.SubjectAccess;

public class SubjectAccessRequestTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static SubjectAccessRequest Queue(DateOnly? from = null, DateOnly? to = null, string reference = "DPO-2026-0042") =>
        SubjectAccessRequest.Queue(Guid.CreateVersion7(), SubjectIdentifierType.Crn, "X123456", Guid.CreateVersion7(), "X123456",
            new SubjectAccessPeriod(from, to), reference, "dpo-01", "NPS", At);

    private static SubjectAccessBundleFile File(string key) => new(key, new string('a', 64), 10);

    private static void AssertRefusedBy(string rule, Action action) =>
        Assert.Equal(rule, Assert.Throws<DomainRuleViolation>(action).Rule);

    [Fact]
    public void A_request_is_queued_then_gathered_then_ready_until_it_expires()
    {
        var request = Queue();
        Assert.Equal(SubjectAccessState.Queued, request.State);

        request.Claim(At, At + Lease);
        request.ReportProgress([new("names", 1, 2)], At + Lease);
        Assert.Equal(SubjectAccessState.Gathering, request.State);
        Assert.Equal(1, request.Progress.Single().Gathered);
        request.ReportProgress([new("names", 2, 2)], At + Lease);
        request.Complete(File("a"), File("b"), At.AddMinutes(1), TimeSpan.FromDays(30));

        Assert.Equal(SubjectAccessState.Ready, request.State);
        Assert.True(request.BundleAvailable(At.AddDays(29)));
        Assert.False(request.BundleAvailable(At.AddDays(31)));
        Assert.Throws<SubjectAccessBundleGoneException>(() => request.EnsureBundleAvailable(At.AddDays(31)));
    }

    [Fact]
    public void A_bundle_is_not_ready_until_every_record_is_gathered()
    {
        var request = Queue();
        request.Claim(At, At + Lease);
        request.ReportProgress([new("disclosureLog", 999, 1000)], At + Lease);

        AssertRefusedBy("subject-access-incomplete", () => request.Complete(File("a"), File("b"), At, TimeSpan.FromDays(30)));
    }

    [Fact]
    public void A_section_cannot_have_gathered_more_than_it_has()
    {
        var request = Queue();
        request.Claim(At, At + Lease);

        AssertRefusedBy("subject-access-overcounted", () => request.ReportProgress([new("names", 3, 2)], At + Lease));
    }

    [Fact]
    public void A_request_held_under_a_live_lease_cannot_be_claimed_by_another_worker_but_one_whose_lease_ran_out_can()
    {
        var request = Queue();
        request.Claim(At, At + Lease);

        AssertRefusedBy("subject-access-not-claimable", () => request.Claim(At.AddMinutes(1), At.AddMinutes(6)));
        request.Claim(At + Lease, At + Lease + Lease);
        Assert.Equal(2, request.Attempts);
        Assert.Equal(SubjectAccessState.Gathering, request.State);
    }

    [Fact]
    public void A_request_abandoned_too_often_fails()
    {
        var request = Queue();
        var now = At;
        for (var i = 0; i < SubjectAccessRequest.MaxAttempts; i++)
        {
            request.Claim(now, now + Lease);
            now += Lease;
        }

        request.Claim(now, now + Lease);

        Assert.Equal(SubjectAccessState.Failed, request.State);
    }

    [Fact]
    public void A_gathering_error_leaves_the_request_to_be_taken_up_again_until_its_last_attempt_fails_with_the_error()
    {
        var request = Queue();
        var now = At;
        for (var attempt = 1; attempt < SubjectAccessRequest.MaxAttempts; attempt++)
        {
            request.Claim(now, now + Lease);
            request.RetryLater("TimeoutException: the store did not answer", now, now.AddMinutes(attempt));

            Assert.Equal(SubjectAccessState.Gathering, request.State);
            Assert.Null(request.Failure);
            Assert.False(request.IsClaimable(now.AddMinutes(attempt).AddSeconds(-1)));
            Assert.True(request.IsClaimable(now.AddMinutes(attempt)));
            now = now.AddMinutes(attempt);
        }

        request.Claim(now, now + Lease);
        request.RetryLater("TimeoutException: the store did not answer", now, now.AddMinutes(9));

        Assert.Equal(SubjectAccessState.Failed, request.State);
        Assert.Equal("TimeoutException: the store did not answer", request.Failure);
        Assert.False(request.IsClaimable(now.AddHours(1)));
    }

    [Fact]
    public void Only_a_request_being_gathered_can_be_left_for_later()
    {
        var request = Queue();

        AssertRefusedBy("subject-access-not-gathering", () => request.RetryLater("error", At, At.AddMinutes(1)));
    }

    [Fact]
    public void A_download_before_the_bundle_is_ready_is_refused()
    {
        AssertRefusedBy("subject-access-bundle-not-ready", () => Queue().EnsureBundleAvailable(At));
    }

    [Fact]
    public void Only_an_expired_bundle_is_deleted()
    {
        var request = Queue();
        request.Claim(At, At + Lease);
        request.Complete(File("a"), File("b"), At, TimeSpan.FromDays(1));

        AssertRefusedBy("subject-access-bundle-not-expired", () => request.BundleDeleted(At.AddHours(1)));
        request.BundleDeleted(At.AddDays(2));
        Assert.False(request.BundleAvailable(At.AddDays(2)));
    }

    [Fact]
    public void A_period_ending_in_the_future_or_starting_after_it_ends_is_refused()
    {
        var today = London.DateOf(At);

        Assert.Equal("to", Assert.Single(SubjectAccessPeriod.Problems(null, today.AddDays(1), today)).Field);
        Assert.Equal("from", Assert.Single(SubjectAccessPeriod.Problems(today.AddDays(-1), today.AddDays(-2), today)).Field);
        Assert.Empty(SubjectAccessPeriod.Problems(today.AddDays(-2), today, today));
        AssertRefusedBy("subject-access-period-invalid", () => Queue(to: today.AddDays(1)));
    }

    [Fact]
    public void A_period_holds_whole_London_days_at_both_ends()
    {
        // 1 July is in British Summer Time: the day starts at 23:00 UTC on 30 June.
        var period = new SubjectAccessPeriod(new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 31));

        Assert.True(period.Contains(new DateTimeOffset(2026, 6, 30, 23, 0, 0, TimeSpan.Zero)));
        Assert.False(period.Contains(new DateTimeOffset(2026, 6, 30, 22, 59, 59, TimeSpan.Zero)));
        Assert.True(period.Contains(new DateTimeOffset(2026, 7, 31, 22, 59, 59, TimeSpan.Zero)));
        Assert.False(period.Contains(new DateTimeOffset(2026, 7, 31, 23, 0, 0, TimeSpan.Zero)));
        Assert.True(new SubjectAccessPeriod(null, null).Contains(DateTimeOffset.MinValue));
    }

    [Fact]
    public void Staff_appear_by_role_and_organisation_and_what_is_withheld_is_counted_with_its_reason()
    {
        var withheld = new ThirdPartyData();

        Assert.Equal("allocator at NPS-NW", withheld.Staff("allocator", "NPS-NW"));
        Assert.Null(withheld.StaffOrNull(null, "manager", "NPS-NW"));
        withheld.Staff("manager", "CRC-CGM");
        withheld.Withhold(ThirdPartyData.VictimDetails, 2);

        var summary = withheld.Summary();
        Assert.Equal([ThirdPartyData.VictimDetails, ThirdPartyData.StaffIdentities], summary.Select(w => w.Kind));
        Assert.Equal(2, summary.Single(w => w.Kind == ThirdPartyData.StaffIdentities).Count);
        Assert.Contains("Sch. 2 para. 16", summary[0].Reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => withheld.Withhold("victims-shoe-size"));
    }

    [Fact]
    public void Named_recipients_of_a_share_are_counted_not_named()
    {
        var withheld = new ThirdPartyData();

        Assert.Equal("CRC-LDN (2 named members of staff)", withheld.Recipients("CRC-LDN: lon-po-01, lon-po-02"));
        Assert.Equal("CRC-LDN", withheld.Recipients("CRC-LDN"));
        Assert.Null(withheld.Recipients(null));
        Assert.Equal(2, withheld.Summary().Single().Count);
    }
}
