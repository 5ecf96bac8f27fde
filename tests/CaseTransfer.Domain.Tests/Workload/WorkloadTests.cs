using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Organisations;
using CaseTransfer.Domain.Workload;

namespace CaseTransfer.Domain.Tests.Workload;

public class WorkloadTests
{
    private static readonly DateOnly Today = new(2026, 11, 27);
    private static readonly DateOnly Published = new(2021, 6, 26);

    private static readonly WorkloadModel Model = new(
        [
            new(Published, "B2", WorkloadCaseType.Community, 115),
            new(Published, "B2", WorkloadCaseType.Custody, 48),
            new(Published, "B2", WorkloadCaseType.Licence, 132),
            new(Published, WorkloadWeighting.Untiered, WorkloadCaseType.Community, 63),
            new(new DateOnly(2027, 4, 1), "B2", WorkloadCaseType.Community, 120),
        ],
        [new(Published, Grade.Po, 2176), new(Published, Grade.Pso, 2176), new(Published, Grade.Spo, 1088)]);

    private static Practitioner Po(decimal contracted = 37m) => new(Guid.CreateVersion7(), "cgm-po-02", "Tom Riley", "CRC-CGM", Grade.Po, contracted);

    private static Sentence Custodial(DateOnly? release, DateOnly? licenceEnd, SentenceType type = SentenceType.DeterminateCustody) =>
        new(type, new(2024, 1, 10), new(2024, 1, 10), licenceEnd, release, licenceEnd);

    [Fact]
    public void A_community_order_and_a_suspended_sentence_are_community_cases()
    {
        Assert.Equal(WorkloadCaseType.Community, WorkloadCaseTypes.Of(new Sentence(SentenceType.CommunityOrder, new(2026, 1, 5), null, new(2027, 1, 5), null, null), Today));
        Assert.Equal(WorkloadCaseType.Community, WorkloadCaseTypes.Of(new Sentence(SentenceType.SuspendedSentenceOrder, new(2026, 1, 5), null, null, null, null), Today));
    }

    [Fact]
    public void A_custodial_sentence_is_custody_until_release_and_while_no_release_date_is_known()
    {
        Assert.Equal(WorkloadCaseType.Custody, WorkloadCaseTypes.Of(Custodial(Today.AddDays(1), Today.AddYears(1)), Today));
        Assert.Equal(WorkloadCaseType.Custody, WorkloadCaseTypes.Of(Custodial(null, null), Today));
    }

    [Fact]
    public void The_release_date_is_the_first_day_on_licence_and_the_licence_end_date_the_last()
    {
        Assert.Equal(WorkloadCaseType.Licence, WorkloadCaseTypes.Of(Custodial(Today, Today.AddYears(1)), Today));
        Assert.Equal(WorkloadCaseType.Licence, WorkloadCaseTypes.Of(Custodial(Today.AddYears(-1), Today), Today));
        Assert.Equal(WorkloadCaseType.Community, WorkloadCaseTypes.Of(Custodial(Today.AddYears(-1), Today.AddDays(-1)), Today));
    }

    [Fact]
    public void A_released_life_sentence_is_on_licence_indefinitely()
    {
        Assert.Equal(WorkloadCaseType.Licence, WorkloadCaseTypes.Of(Custodial(Today.AddYears(-3), null, SentenceType.Life), Today));
    }

    [Fact]
    public void A_case_scores_the_weighting_in_force_on_the_day()
    {
        Assert.Equal(115, Model.PointsFor("B2", WorkloadCaseType.Community, Today));
        Assert.Equal(120, Model.PointsFor("B2", WorkloadCaseType.Community, new DateOnly(2027, 4, 1)));
        Assert.Equal(132, Model.PointsFor("B2", WorkloadCaseType.Licence, new DateOnly(2027, 4, 1)));
    }

    [Fact]
    public void A_case_with_no_tier_scores_the_untiered_weighting()
    {
        Assert.Equal(63, Model.PointsFor(null, WorkloadCaseType.Community, Today));
    }

    [Fact]
    public void No_weighting_in_force_is_a_named_refusal_not_a_zero()
    {
        Assert.Equal("no-workload-weighting", Assert.Throws<DomainRuleViolation>(() => Model.PointsFor("B2", WorkloadCaseType.Community, new DateOnly(2020, 1, 1))).Rule);
        Assert.Equal("no-workload-weighting", Assert.Throws<DomainRuleViolation>(() => Model.PointsFor(null, WorkloadCaseType.Licence, Today)).Rule);
    }

    [Fact]
    public void Available_points_are_the_grade_target_scaled_by_available_hours_over_the_full_time_week()
    {
        var fullTime = Po();
        var reduced = Po();
        reduced.RecordAvailableHours(29.6m);
        var partTime = Po(22.5m);

        Assert.Equal(2176m, Model.AvailablePointsFor(fullTime, Today));
        Assert.Equal(1740.8m, Model.AvailablePointsFor(reduced, Today));
        Assert.Equal(1323.24m, Model.AvailablePointsFor(partTime, Today));
    }

    [Fact]
    public void Available_hours_cannot_exceed_contracted_hours()
    {
        Assert.Equal("available-hours-out-of-range", Assert.Throws<DomainRuleViolation>(() => Po().RecordAvailableHours(40m)).Rule);
    }

    [Fact]
    public void Capacity_is_points_over_available_points_to_one_place()
    {
        Assert.Equal(50.0m, new Caseload(10, 1088, 2176m).CapacityPercent);
        Assert.Equal(33.3m, new Caseload(1, 1, 3m).CapacityPercent);
        Assert.Equal(66.7m, new Caseload(1, 2, 3m).CapacityPercent);
        Assert.Equal(0m, new Caseload(0, 0, 0m).CapacityPercent);
        Assert.Equal(Caseload.CapacityCeiling, new Caseload(1, 63, 0m).CapacityPercent);
    }

    [Fact]
    public void Over_capacity_is_decided_on_the_figure_the_screen_shows()
    {
        Assert.False(new Caseload(30, 2176, 2176m).IsOverCapacity);
        Assert.False(new Caseload(30, 100_004, 100_000m).IsOverCapacity); // 100.004% shows as 100.0%
        Assert.True(new Caseload(30, 100_050, 100_000m).IsOverCapacity); // 100.05% shows as 100.1%
    }

    [Fact]
    public void Adding_a_case_that_takes_someone_over_100_percent_needs_an_acknowledgement_with_the_figures()
    {
        var before = new Caseload(31, 2093, 2176m);
        var check = new CapacityCheck("Tom Riley", 115, before, before.With(115));

        Assert.True(check.NeedsAcknowledgement);
        Assert.Equal(new Caseload(32, 2208, 2176m), check.After);
        var refusal = check.Refusal();
        Assert.Equal("practitioner-over-capacity", refusal.Rule);
        Assert.Contains("from 96.2% to 101.5%", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(before, refusal.Facts!["current"]);
    }

    [Fact]
    public void Adding_a_case_that_leaves_someone_at_or_under_100_percent_needs_no_acknowledgement()
    {
        var before = new Caseload(30, 2061, 2176m);

        Assert.False(new CapacityCheck("Tom Riley", 115, before, before.With(115)).NeedsAcknowledgement);
    }
}
