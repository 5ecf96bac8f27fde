using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;

namespace CaseTransfer.Domain.Tests.Cases;

public class CaseTests
{
    private static readonly DateTimeOffset Opened = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
    private static readonly Area GreaterManchester = new("GMAN", "Greater Manchester", "NPS-NW", "CRC-CGM");
    private static readonly Practitioner PriyaPatelNpsNw = new(Guid.CreateVersion7(), "nw-spo-01", "Priya Patel", "NPS-NW", Grade.Spo, 37m);
    private static readonly Practitioner GarethEvansNpsNw = new(Guid.CreateVersion7(), "nw-po-02", "Gareth Evans", "NPS-NW", Grade.Po, 37m);
    private static readonly Practitioner TomRileyCrcCgm = new(Guid.CreateVersion7(), "cgm-po-02", "Tom Riley", "CRC-CGM", Grade.Po, 37m);

    private static Sentence Custody() => new(
        SentenceType.DeterminateCustody, new(2025, 1, 10), new(2025, 1, 10), new(2030, 1, 10), new(2029, 6, 1), new(2030, 1, 10));

    private static Case Open(
        Sentence? sentence = null,
        DateOnly? dateOfBirth = null,
        IEnumerable<(RequirementType, DateOnly?, DateOnly?)>? requirements = null) => Case.Open(
            Guid.CreateVersion7(),
            Crn.Parse("X123456"),
            " John ",
            null,
            "Smith",
            dateOfBirth ?? new DateOnly(1985, 3, 14),
            PncId.Parse("2012/0052494Q"),
            NomsNumber.Parse("A1234BC"),
            GreaterManchester,
            sentence ?? Custody(),
            requirements ?? [],
            Opened);

    private static RiskFacts Risk(
        MappaCategory category = MappaCategory.None,
        MappaLevel level = MappaLevel.None,
        DateOnly? assessedOn = null,
        RoshLevel rosh = RoshLevel.Medium) =>
        new(assessedOn ?? new DateOnly(2026, 3, 1), rosh, 3.2m, 41m, category, level, "B2", RiskFlags.DomesticAbuse);

    private static void AssertRefusedBy(string rule, Action action) =>
        Assert.Equal(rule, Assert.Throws<DomainRuleViolation>(action).Rule);

    [Fact]
    public void Other_names_recorded_later_are_one_change_with_an_event_each()
    {
        var @case = Open();
        @case.ClearDomainEvents();
        var at = Opened.AddDays(1);

        var recorded = @case.RecordOtherNames(
            [], [new(OtherNameKind.KnownAs, "Jack", null, "Smith"), new(OtherNameKind.Alias, "John", "Paul", "Smythe")], "nw-spo-01", at);

        Assert.Equal(2, recorded.Count);
        Assert.Equal(2, @case.Version);
        Assert.Equal([recorded[0].Id, recorded[1].Id], @case.DomainEvents.OfType<CaseOtherNameRecorded>().Select(e => e.OtherNameId));
        Assert.All(recorded, n => Assert.Equal(@case.Id, n.CaseId));
    }

    [Fact]
    public void Other_names_given_when_the_case_is_opened_are_part_of_the_opening()
    {
        var @case = Open();

        var recorded = @case.RecordOtherNamesAtOpening([new(OtherNameKind.Alias, "Jack", null, "Smith")], "nw-spo-01");

        Assert.Equal(Opened, Assert.Single(recorded).RecordedAt);
        Assert.Equal(1, @case.Version);
        Assert.Empty(@case.DomainEvents.OfType<CaseOtherNameRecorded>());
    }

    [Theory]
    [InlineData("John", "SMITH", "other-name-is-the-name")]
    [InlineData(" jack ", "smith", "other-name-already-recorded")]
    public void An_other_name_that_is_no_new_name_is_refused(string firstName, string lastName, string rule)
    {
        var @case = Open();
        var existing = @case.RecordOtherNames([], [new(OtherNameKind.KnownAs, "Jack", null, "Smith")], "nw-spo-01", Opened.AddDays(1));
        var version = @case.Version;

        AssertRefusedBy(rule, () => @case.RecordOtherNames(existing, [new(OtherNameKind.Alias, firstName, null, lastName)], "nw-spo-01", Opened.AddDays(2)));
        Assert.Equal(version, @case.Version);
    }

    [Fact]
    public void A_case_carries_at_most_twenty_other_names_and_a_refused_batch_records_none()
    {
        var @case = Open();
        var names = Enumerable.Range(0, CaseOtherName.MaxPerCase + 1)
            .Select(i => new OtherNameFacts(OtherNameKind.Alias, "Jack", null, "Smith" + new string((char)('a' + (i % 26)), 1 + (i / 26))))
            .ToList();

        AssertRefusedBy("too-many-other-names", () => @case.RecordOtherNames([], names, "nw-spo-01", Opened.AddDays(1)));
        AssertRefusedBy("too-many-other-names", () => @case.RecordOtherNamesAtOpening(names, "nw-spo-01"));
        Assert.Equal(1, @case.Version);
        Assert.Empty(@case.DomainEvents.OfType<CaseOtherNameRecorded>());
    }

    [Fact]
    public void A_new_case_is_held_by_the_NPS_region_covering_its_area_with_one_open_holding()
    {
        var @case = Open();

        Assert.Equal("NPS-NW", @case.HolderOrganisationCode);
        Assert.Equal(Opened, @case.HeldSince);
        Assert.Null(@case.ResponsibleOfficerId);
        Assert.Equal(1, @case.Version);
        Assert.Equal("John", @case.FirstName);
        var holding = Assert.Single(@case.Holdings);
        Assert.True(holding.IsOpen);
        Assert.Equal("NPS-NW", holding.OrganisationCode);
        Assert.Equal(Opened, holding.From);
        var opened = Assert.IsType<CaseOpened>(Assert.Single(@case.DomainEvents));
        Assert.Equal("NPS-NW", opened.HolderOrganisationCode);
        Assert.Equal("case-transfer.case.opened", opened.EventType);
    }

    [Fact]
    public void A_date_of_birth_today_or_later_is_refused()
    {
        AssertRefusedBy("date-of-birth-in-future", () => Open(dateOfBirth: DateOnly.FromDateTime(Opened.UtcDateTime)));
        AssertRefusedBy("date-of-birth-in-future", () => Open(dateOfBirth: new DateOnly(2027, 1, 1)));
    }

    [Fact]
    public void A_sentence_before_the_date_of_birth_is_refused()
    {
        AssertRefusedBy("sentence-before-birth", () => Open(dateOfBirth: new DateOnly(2025, 6, 1)));
    }

    [Fact]
    public void A_release_date_on_a_community_order_is_refused()
    {
        var sentence = new Sentence(SentenceType.CommunityOrder, new(2025, 1, 10), new(2025, 1, 10), new(2026, 1, 10), new(2025, 6, 1), null);

        AssertRefusedBy("release-date-on-community-sentence", () => Open(sentence));
    }

    [Fact]
    public void A_licence_end_date_on_a_suspended_sentence_is_refused()
    {
        var sentence = new Sentence(SentenceType.SuspendedSentenceOrder, new(2025, 1, 10), null, new(2027, 1, 10), null, new(2027, 1, 10));

        AssertRefusedBy("release-date-on-community-sentence", () => Open(sentence));
    }

    [Fact]
    public void A_community_order_without_release_dates_is_accepted()
    {
        var sentence = new Sentence(SentenceType.CommunityOrder, new(2025, 1, 10), new(2025, 1, 17), new(2026, 1, 10), null, null);

        Assert.False(Open(sentence).Sentence.IsCustodial);
    }

    [Fact]
    public void A_start_before_the_sentence_is_refused()
    {
        AssertRefusedBy("start-before-sentence", () => Open(Custody() with { StartDate = new DateOnly(2025, 1, 9) }));
    }

    [Fact]
    public void An_expected_end_before_the_start_is_refused()
    {
        AssertRefusedBy("end-before-start", () => Open(Custody() with { ExpectedEndDate = new DateOnly(2025, 1, 9) }));
    }

    [Fact]
    public void A_licence_ending_before_release_is_refused()
    {
        AssertRefusedBy("licence-end-before-release", () => Open(Custody() with { LicenceEndDate = new DateOnly(2029, 5, 31) }));
    }

    [Fact]
    public void A_requirement_ending_before_it_starts_is_refused()
    {
        AssertRefusedBy(
            "end-before-start",
            () => Open(requirements: [(RequirementType.UnpaidWork, new DateOnly(2025, 3, 1), new DateOnly(2025, 2, 1))]));
    }

    [Fact]
    public void The_next_release_date_is_the_release_date_only_while_it_is_ahead()
    {
        var sentence = Custody();

        Assert.Equal(new DateOnly(2029, 6, 1), sentence.NextReleaseDate(new DateOnly(2029, 6, 1)));
        Assert.Null(sentence.NextReleaseDate(new DateOnly(2029, 6, 2)));
    }

    [Fact]
    public void A_responsible_officer_from_another_organisation_is_refused_and_nothing_changes()
    {
        var @case = Open();

        AssertRefusedBy("responsible-officer-outside-holder", () => @case.AssignResponsibleOfficer(TomRileyCrcCgm, Opened.AddHours(1)));

        Assert.Null(@case.ResponsibleOfficerId);
        Assert.Equal(1, @case.Version);
        Assert.Single(@case.Holdings);
    }

    [Fact]
    public void Assigning_a_responsible_officer_starts_a_new_holding_within_the_same_organisation()
    {
        var @case = Open();
        var at = Opened.AddHours(1);

        @case.AssignResponsibleOfficer(PriyaPatelNpsNw, at);

        Assert.Equal(PriyaPatelNpsNw.Id, @case.ResponsibleOfficerId);
        Assert.Equal("NPS-NW", @case.HolderOrganisationCode);
        Assert.Equal(Opened, @case.HeldSince);
        AssertContiguous(@case);
        Assert.Equal(PriyaPatelNpsNw.Id, @case.Holdings[^1].ResponsibleOfficerId);
        Assert.Equal(at, @case.Holdings[0].To);
        Assert.IsType<ResponsibleOfficerAssigned>(@case.DomainEvents[^1]);
    }

    [Fact]
    public void Assigning_the_officer_who_already_holds_the_case_is_refused()
    {
        var @case = Open();
        @case.AssignResponsibleOfficer(PriyaPatelNpsNw, Opened.AddHours(1));

        AssertRefusedBy("already-responsible-officer", () => @case.AssignResponsibleOfficer(PriyaPatelNpsNw, Opened.AddHours(2)));
        Assert.Equal(2, @case.Version);
    }

    [Fact]
    public void A_transfer_closes_the_old_holding_at_the_instant_the_new_one_opens()
    {
        var @case = Open();
        @case.AssignResponsibleOfficer(PriyaPatelNpsNw, Opened.AddHours(1));
        var at = Opened.AddDays(3);

        @case.TransferTo("CRC-CGM", at, "Allocated to the provider");

        Assert.Equal("CRC-CGM", @case.HolderOrganisationCode);
        Assert.Equal(at, @case.HeldSince);
        Assert.Null(@case.ResponsibleOfficerId);
        AssertContiguous(@case);
        Assert.Equal(at, @case.Holdings[^2].To);
        Assert.Equal(at, @case.Holdings[^1].From);
        Assert.Equal("CRC-CGM", @case.Holdings[^1].OrganisationCode);
        var moved = Assert.IsType<CaseHolderChanged>(@case.DomainEvents[^1]);
        Assert.Equal(("NPS-NW", "CRC-CGM"), (moved.FromOrganisation, moved.ToOrganisation));
    }

    [Fact]
    public void After_a_transfer_only_the_new_holder_may_name_the_responsible_officer()
    {
        var @case = Open();
        @case.TransferTo("CRC-CGM", Opened.AddDays(1), "Allocated to the provider");

        AssertRefusedBy("responsible-officer-outside-holder", () => @case.AssignResponsibleOfficer(GarethEvansNpsNw, Opened.AddDays(2)));
        @case.AssignResponsibleOfficer(TomRileyCrcCgm, Opened.AddDays(2));

        Assert.Equal(TomRileyCrcCgm.Id, @case.ResponsibleOfficerId);
        AssertContiguous(@case);
    }

    [Fact]
    public void A_transfer_to_the_organisation_already_holding_the_case_is_refused()
    {
        var @case = Open();

        AssertRefusedBy("already-holder", () => @case.TransferTo("NPS-NW", Opened.AddDays(1), "No move"));
        Assert.Single(@case.Holdings);
        Assert.Equal(1, @case.Version);
    }

    [Fact]
    public void Every_change_increments_the_version_and_a_refusal_does_not()
    {
        var @case = Open();
        Assert.Equal(1, @case.Version);

        @case.RecordRiskAssessment(Risk(), "nw-spo-01", "NPS-NW", Opened.AddHours(1));
        Assert.Equal(2, @case.Version);

        @case.AssignResponsibleOfficer(PriyaPatelNpsNw, Opened.AddHours(2));
        Assert.Equal(3, @case.Version);

        Assert.Throws<DomainRuleViolation>(() => @case.RecordRiskAssessment(Risk(MappaCategory.Category1), "nw-spo-01", "NPS-NW", Opened.AddHours(3)));
        Assert.Equal(3, @case.Version);

        @case.TransferTo("CRC-CGM", Opened.AddHours(4), "Allocated");
        Assert.Equal(4, @case.Version);
        Assert.Equal(Opened.AddHours(4), @case.UpdatedAt);
    }

    [Fact]
    public void A_risk_assessment_is_added_to_the_history_and_raises_an_event()
    {
        var @case = Open();

        var first = @case.RecordRiskAssessment(Risk(rosh: RoshLevel.Medium), "nw-spo-01", "NPS-NW", Opened.AddHours(1));
        var second = @case.RecordRiskAssessment(Risk(MappaCategory.Category2, MappaLevel.Level2, rosh: RoshLevel.High), "nw-spo-01", "NPS-NW", Opened.AddHours(2));

        Assert.Equal([first, second], @case.RiskAssessments);
        Assert.Equal(RoshLevel.High, second.Facts.Rosh);
        Assert.Equal(@case.Id, second.CaseId);
        var recorded = Assert.IsType<RiskAssessmentRecorded>(@case.DomainEvents[^1]);
        Assert.Equal(second.Id, recorded.RiskAssessmentId);
    }

    [Theory]
    [InlineData(MappaCategory.None, MappaLevel.Level1, "mappa-level-without-category")]
    [InlineData(MappaCategory.None, MappaLevel.Level3, "mappa-level-without-category")]
    [InlineData(MappaCategory.Category1, MappaLevel.None, "mappa-category-without-level")]
    [InlineData(MappaCategory.Category4, MappaLevel.None, "mappa-category-without-level")]
    public void MAPPA_category_and_level_come_together(MappaCategory category, MappaLevel level, string rule)
    {
        var @case = Open();

        AssertRefusedBy(rule, () => @case.RecordRiskAssessment(Risk(category, level), "nw-spo-01", "NPS-NW", Opened.AddHours(1)));
        Assert.Empty(@case.RiskAssessments);
    }

    [Theory]
    [InlineData(MappaCategory.None, MappaLevel.None)]
    [InlineData(MappaCategory.Category1, MappaLevel.Level1)]
    [InlineData(MappaCategory.Category2, MappaLevel.Level3)]
    [InlineData(MappaCategory.Category4, MappaLevel.Level2)]
    public void A_coherent_MAPPA_category_and_level_are_accepted(MappaCategory category, MappaLevel level)
    {
        var assessment = Open().RecordRiskAssessment(Risk(category, level), "nw-spo-01", "NPS-NW", Opened.AddHours(1));

        Assert.Equal((category, level), (assessment.Facts.MappaCategory, assessment.Facts.MappaLevel));
    }

    [Fact]
    public void An_assessment_dated_after_it_is_recorded_is_refused()
    {
        var @case = Open();

        AssertRefusedBy(
            "assessment-in-future",
            () => @case.RecordRiskAssessment(Risk(assessedOn: new DateOnly(2026, 3, 3)), "nw-spo-01", "NPS-NW", Opened));
    }

    [Theory]
    [InlineData("A0", true)]
    [InlineData("D3", true)]
    [InlineData(null, true)]
    [InlineData("E1", false)]
    [InlineData("B4", false)]
    [InlineData("b2", false)]
    [InlineData("B22", false)]
    public void A_tier_is_a_letter_A_to_D_and_a_need_0_to_3(string? tier, bool valid)
    {
        Assert.Equal(valid, RiskFacts.IsValidTier(tier));
    }

    private static void AssertContiguous(Case @case)
    {
        Assert.Single(@case.Holdings, h => h.IsOpen);
        Assert.True(@case.Holdings[^1].IsOpen);
        for (var i = 1; i < @case.Holdings.Count; i++)
        {
            Assert.Equal(@case.Holdings[i - 1].To, @case.Holdings[i].From);
        }
    }
}
