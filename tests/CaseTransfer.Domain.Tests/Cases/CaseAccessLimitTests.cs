using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;

namespace CaseTransfer.Domain.Tests.Cases;

public class CaseAccessLimitTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private static Case Open() => Case.Open(
        Guid.CreateVersion7(),
        Crn.Parse("X123456"),
        "John",
        null,
        "Smith",
        new DateOnly(1985, 3, 14),
        null,
        null,
        new Area("GMAN", "Greater Manchester", "NPS-NW", "CRC-CGM"),
        new Sentence(SentenceType.CommunityOrder, new(2026, 1, 5), new(2026, 1, 5), new(2027, 1, 5), null, null),
        [],
        At.AddDays(-30));

    private static string Refusal(Action action) => Assert.Throws<DomainRuleViolation>(action).Rule;

    [Fact]
    public void Excluding_someone_hides_the_case_from_them_only_and_changes_the_case_version()
    {
        var @case = Open();
        var version = @case.Version;

        var limit = @case.LimitAccess(new AccessLists([]), AccessLimitKind.Exclusion, "nw-po-02", "knows the family", null, "nw-spo-01", At).Limit;

        var lists = new AccessLists([limit]);
        Assert.False(lists.Allows("nw-po-02"));
        Assert.True(lists.Allows("nw-spo-01"));
        Assert.True(@case.HasAccessLimits);
        Assert.Equal(version + 1, @case.Version);
        Assert.IsType<CaseAccessLimitsChanged>(@case.DomainEvents[^1]);
    }

    [Fact]
    public void A_restriction_list_lets_only_the_staff_named_on_it_see_the_case()
    {
        var @case = Open();
        var keeper = @case.LimitAccess(new AccessLists([]), AccessLimitKind.Restriction, "nw-spo-01", null, null, "nw-spo-01", At).Limit;
        var colleague = @case.LimitAccess(new AccessLists([keeper]), AccessLimitKind.Restriction, "nw-po-02", null, null, "nw-spo-01", At).Limit;

        var lists = new AccessLists([keeper, colleague]);
        Assert.True(lists.Allows("nw-spo-01"));
        Assert.True(lists.Allows("nw-po-02"));
        Assert.False(lists.Allows("nw-pso-03"));
    }

    [Fact]
    public void A_restriction_list_that_would_not_name_the_person_keeping_it_is_refused()
    {
        Assert.Equal("restriction-would-lock-out-caller", Refusal(() =>
            Open().LimitAccess(new AccessLists([]), AccessLimitKind.Restriction, "nw-po-02", null, null, "nw-spo-01", At)));
    }

    [Fact]
    public void The_responsible_officer_cannot_be_excluded_until_the_case_is_reassigned()
    {
        Assert.Equal("responsible-officer-excluded", Refusal(() =>
            Open().LimitAccess(new AccessLists([]), AccessLimitKind.Exclusion, "nw-po-02", null, "nw-po-02", "nw-spo-01", At)));
    }

    [Fact]
    public void Someone_on_one_list_cannot_be_put_on_the_other_or_on_the_same_twice()
    {
        var @case = Open();
        var keeper = @case.LimitAccess(new AccessLists([]), AccessLimitKind.Restriction, "nw-spo-01", null, null, "nw-spo-01", At).Limit;
        var excluded = @case.LimitAccess(new AccessLists([keeper]), AccessLimitKind.Exclusion, "nw-po-02", null, null, "nw-spo-01", At).Limit;
        var lists = new AccessLists([keeper, excluded]);

        Assert.Equal("access-lists-contradict", Refusal(() => @case.LimitAccess(lists, AccessLimitKind.Restriction, "nw-po-02", null, null, "nw-spo-01", At)));
        Assert.Equal("already-on-access-list", Refusal(() => @case.LimitAccess(lists, AccessLimitKind.Exclusion, "nw-po-02", null, null, "nw-spo-01", At)));
    }

    [Fact]
    public void Removing_the_last_limit_lifts_the_flag_and_keeps_the_entry()
    {
        var @case = Open();
        var limit = @case.LimitAccess(new AccessLists([]), AccessLimitKind.Exclusion, "nw-po-02", null, null, "nw-spo-01", At).Limit;

        @case.RemoveAccessLimit(new AccessLists([limit]), limit, null, "nw-spo-01", At.AddHours(1));

        Assert.False(@case.HasAccessLimits);
        Assert.False(limit.IsActive);
        Assert.Equal("nw-spo-01", limit.RemovedBy);
        Assert.Equal("access-limit-already-removed", Refusal(() => @case.RemoveAccessLimit(new AccessLists([limit]), limit, null, "nw-spo-01", At)));
    }

    [Fact]
    public void Taking_yourself_off_a_restriction_list_that_names_others_is_refused()
    {
        var @case = Open();
        var keeper = @case.LimitAccess(new AccessLists([]), AccessLimitKind.Restriction, "nw-spo-01", null, null, "nw-spo-01", At).Limit;
        var colleague = @case.LimitAccess(new AccessLists([keeper]), AccessLimitKind.Restriction, "nw-po-02", null, null, "nw-spo-01", At).Limit;

        Assert.Equal("restriction-would-lock-out-caller", Refusal(() => @case.RemoveAccessLimit(new AccessLists([keeper, colleague]), keeper, null, "nw-spo-01", At)));
    }

    [Fact]
    public void An_excluded_practitioner_or_one_missing_from_a_restriction_list_may_not_hold_the_case()
    {
        var @case = Open();
        var keeper = @case.LimitAccess(new AccessLists([]), AccessLimitKind.Restriction, "nw-spo-01", null, null, "nw-spo-01", At).Limit;
        var excluded = @case.LimitAccess(new AccessLists([keeper]), AccessLimitKind.Exclusion, "nw-po-02", null, null, "nw-spo-01", At).Limit;
        var lists = new AccessLists([keeper, excluded]);

        Assert.Equal("practitioner-excluded", Refusal(() => lists.EnsureMayHold("nw-po-02")));
        Assert.Equal("practitioner-not-on-restriction-list", Refusal(() => lists.EnsureMayHold("nw-pso-03")));
        lists.EnsureMayHold("nw-spo-01");
    }

    [Fact]
    public void Starting_a_restriction_list_names_the_responsible_officer_too_so_they_keep_sight_of_their_case()
    {
        var @case = Open();
        var version = @case.Version;

        var added = @case.LimitAccess(new AccessLists([]), AccessLimitKind.Restriction, "nw-spo-01", null, "nw-po-02", "nw-spo-01", At);

        Assert.Equal("nw-spo-01", added.Limit.StaffCode);
        var officer = Assert.IsType<CaseAccessLimit>(added.ResponsibleOfficer);
        Assert.Equal((AccessLimitKind.Restriction, "nw-po-02", "nw-spo-01"), (officer.Kind, officer.StaffCode, officer.AddedBy));
        Assert.Equal(Case.ResponsibleOfficerNamedReason, officer.Reason);
        var lists = new AccessLists([added.Limit, officer]);
        Assert.True(lists.Allows("nw-po-02"));
        Assert.False(lists.Allows("nw-pso-03"));
        Assert.Equal(version + 1, @case.Version);
        Assert.Equal(new[] { added.Limit.Id, officer.Id }, @case.DomainEvents.OfType<CaseAccessLimitsChanged>().Select(e => e.AccessLimitId));
    }

    [Fact]
    public void A_restriction_list_that_already_names_the_responsible_officer_or_an_exclusion_names_no_one_else()
    {
        var @case = Open();
        var keeper = @case.LimitAccess(new AccessLists([]), AccessLimitKind.Restriction, "nw-po-02", null, "nw-po-02", "nw-po-02", At);
        var colleague = @case.LimitAccess(new AccessLists([keeper.Limit]), AccessLimitKind.Restriction, "nw-spo-01", null, "nw-po-02", "nw-po-02", At);
        var excluded = @case.LimitAccess(new AccessLists([keeper.Limit, colleague.Limit]), AccessLimitKind.Exclusion, "nw-pso-03", null, "nw-po-02", "nw-po-02", At);

        Assert.Null(keeper.ResponsibleOfficer);
        Assert.Null(colleague.ResponsibleOfficer);
        Assert.Null(excluded.ResponsibleOfficer);
    }

    [Fact]
    public void The_responsible_officer_stays_on_a_restriction_list_that_names_others_until_the_case_is_reassigned()
    {
        var @case = Open();
        var keeper = @case.LimitAccess(new AccessLists([]), AccessLimitKind.Restriction, "nw-spo-01", null, "nw-po-02", "nw-spo-01", At);
        var colleague = @case.LimitAccess(new AccessLists([keeper.Limit, keeper.ResponsibleOfficer!]), AccessLimitKind.Restriction, "nw-pso-03", null, "nw-po-02", "nw-spo-01", At);
        var officer = keeper.ResponsibleOfficer!;
        var lists = new AccessLists([keeper.Limit, officer, colleague.Limit]);

        Assert.Equal("restriction-would-lock-out-responsible-officer", Refusal(() => @case.RemoveAccessLimit(lists, officer, "nw-po-02", "nw-spo-01", At)));
        var removed = @case.RemoveAccessLimit(lists, officer, null, "nw-spo-01", At);
        Assert.False(officer.IsActive);
        Assert.Null(removed.ResponsibleOfficer);
    }

    [Fact]
    public void Taking_yourself_off_when_only_the_responsible_officer_would_be_left_lifts_the_list()
    {
        var @case = Open();
        var keeper = @case.LimitAccess(new AccessLists([]), AccessLimitKind.Restriction, "nw-spo-01", null, "nw-po-02", "nw-spo-01", At);
        var officer = keeper.ResponsibleOfficer!;

        var removed = @case.RemoveAccessLimit(new AccessLists([keeper.Limit, officer]), keeper.Limit, "nw-po-02", "nw-spo-01", At.AddHours(1));

        Assert.Same(officer, removed.ResponsibleOfficer);
        Assert.False(keeper.Limit.IsActive);
        Assert.False(officer.IsActive);
        Assert.Equal("nw-spo-01", officer.RemovedBy);
        Assert.False(@case.HasAccessLimits);
        Assert.Equal(officer.Id, @case.DomainEvents.OfType<CaseAccessLimitsChanged>().Last().AccessLimitId);
    }

    [Fact]
    public void The_officer_taking_a_colleague_off_keeps_a_list_that_names_only_them()
    {
        var @case = Open();
        var keeper = @case.LimitAccess(new AccessLists([]), AccessLimitKind.Restriction, "nw-spo-01", null, "nw-po-02", "nw-spo-01", At);
        var officer = keeper.ResponsibleOfficer!;

        var removed = @case.RemoveAccessLimit(new AccessLists([keeper.Limit, officer]), keeper.Limit, "nw-po-02", "nw-po-02", At);

        Assert.Null(removed.ResponsibleOfficer);
        Assert.True(officer.IsActive);
        Assert.True(@case.HasAccessLimits);
    }

    [Fact]
    public void A_list_made_before_it_kept_the_officer_can_still_be_worked_down_and_lifted()
    {
        var @case = Open();
        var keeper = @case.LimitAccess(new AccessLists([]), AccessLimitKind.Restriction, "nw-spo-01", null, null, "nw-spo-01", At).Limit;
        var colleague = @case.LimitAccess(new AccessLists([keeper]), AccessLimitKind.Restriction, "nw-pso-03", null, null, "nw-spo-01", At).Limit;

        // The officer (nw-po-02) was never on it: taking a colleague off, then yourself, is not refused on their account.
        @case.RemoveAccessLimit(new AccessLists([keeper, colleague]), colleague, "nw-po-02", "nw-spo-01", At);
        @case.RemoveAccessLimit(new AccessLists([keeper, colleague]), keeper, "nw-po-02", "nw-spo-01", At);

        Assert.False(@case.HasAccessLimits);
    }

    [Fact]
    public void Lifting_a_restriction_list_by_removing_its_last_name_locks_out_no_one()
    {
        var @case = Open();
        var keeper = @case.LimitAccess(new AccessLists([]), AccessLimitKind.Restriction, "nw-po-02", null, "nw-po-02", "nw-po-02", At).Limit;

        @case.RemoveAccessLimit(new AccessLists([keeper]), keeper, "nw-po-02", "nw-po-02", At);

        Assert.False(@case.HasAccessLimits);
    }
}
