using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.VictimLiaison;

namespace CaseTransfer.Domain.Tests.VictimLiaison;

/// <summary>Victim conditions, the contact reference and victims' details: what the unit records and what it may not.</summary>
public class VictimLiaisonTests
{
    private static readonly DateTimeOffset Monday = new(2027, 5, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Monday.UtcDateTime);
    private static readonly Crn Crn = Crn.Parse("X123456");

    private static VictimCondition Condition(VictimConditionKind kind = VictimConditionKind.ExclusionZone, string? place = "Salford Quays", DateOnly? endsOn = null) =>
        VictimCondition.Record(Guid.CreateVersion7(Monday), Guid.NewGuid(), Crn,
            new VictimConditionFacts(kind, "Must not enter the area", place, Today, endsOn), "vlu-01", "NPS-NW", Monday);

    [Fact]
    public void A_recorded_condition_is_current_and_says_so_in_an_event_that_names_no_one()
    {
        var condition = Condition();

        Assert.True(condition.CurrentOn(Today));
        Assert.Equal(1, condition.Version);
        var recorded = Assert.IsType<VictimConditionChanged>(Assert.Single(condition.DomainEvents));
        Assert.Equal("case-transfer.victim-condition.recorded", recorded.EventType);
        Assert.DoesNotContain("Salford", recorded.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Ending_a_condition_keeps_it_marked_ended()
    {
        var condition = Condition();

        condition.End("vlu-02", Monday.AddDays(1));

        Assert.False(condition.CurrentOn(Today));
        Assert.Equal(("vlu-02", Monday.AddDays(1), 2L), (condition.EndedBy, condition.EndedAt, condition.Version));
        Assert.Equal("case-transfer.victim-condition.ended", condition.DomainEvents[^1].EventType);
    }

    [Fact]
    public void Ending_a_condition_twice_is_a_conflict()
    {
        var condition = Condition();
        condition.End("vlu-02", Monday.AddDays(1));

        var refused = Assert.Throws<DomainRuleViolation>(() => condition.End("vlu-02", Monday.AddDays(2)));

        Assert.Equal("victim-condition-already-ended", refused.Rule);
        Assert.Equal(Monday.AddDays(1), condition.EndedAt);
    }

    [Fact]
    public void A_condition_past_its_last_day_is_no_longer_current_and_one_starting_later_already_is()
    {
        Assert.False(Condition(endsOn: Today).CurrentOn(Today.AddDays(1)));
        Assert.True(Condition().CurrentOn(Today.AddDays(-7)));
    }

    [Fact]
    public void An_exclusion_zone_names_its_place()
    {
        Assert.Throws<ArgumentException>(() => Condition(place: " "));
        Assert.Null(Condition(VictimConditionKind.NoContact, place: null).Place);
    }

    [Fact]
    public void A_condition_cannot_end_before_it_starts() =>
        Assert.Throws<ArgumentException>(() => Condition(endsOn: Today.AddDays(-1)));

    [Theory]
    [InlineData("VLU-NW/2026/0042", true)]
    [InlineData("ABC", true)]
    [InlineData("AB", false)]
    [InlineData("vlu-1234", false)]
    [InlineData("-VLU1234", false)]
    [InlineData("VLU 1234", false)]
    public void A_contact_reference_is_upper_case_letters_digits_slashes_and_hyphens(string reference, bool valid) =>
        Assert.Equal(valid, VictimLiaisonRecord.IsValidContactReference(reference));

    [Fact]
    public void A_new_contact_reference_replaces_the_old_and_neither_is_in_the_event()
    {
        var record = VictimLiaisonRecord.Start(Guid.NewGuid(), Crn, "VLU-NW/1", "vlu-01", "NPS-NW", Monday);

        record.SetContactReference("VLU-NW/2", "vlu-02", "NPS-NW", Monday.AddDays(1));

        Assert.Equal(("VLU-NW/2", "vlu-02", 2L), (record.ContactReference, record.SetBy, record.Version));
        Assert.All(record.DomainEvents, e => Assert.DoesNotContain("VLU-NW", System.Text.Json.JsonSerializer.Serialize<object>(e), StringComparison.Ordinal));
    }

    [Fact]
    public void A_victims_record_tells_the_audit_which_fields_it_holds_never_their_values()
    {
        var victim = VictimDetails.Record(Guid.NewGuid(), Guid.NewGuid(),
            new VictimDetailsFacts(" Ann Quillfeather ", "1 High Street", null, "ann@example.org", " ", null), "vlu-01", "NPS-NW", Monday);

        Assert.Equal("Ann Quillfeather", victim.Name);
        Assert.Null(victim.Relationship);
        Assert.Equal(["name", "address", "email"], victim.FieldsGiven());
    }

    [Fact]
    public void A_victim_has_a_name() =>
        Assert.Throws<ArgumentException>(() => VictimDetails.Record(Guid.NewGuid(), Guid.NewGuid(),
            new VictimDetailsFacts("", null, null, null, null, null), "vlu-01", "NPS-NW", Monday));
}
