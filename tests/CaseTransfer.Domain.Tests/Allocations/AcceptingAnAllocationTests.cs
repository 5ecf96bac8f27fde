using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;

namespace CaseTransfer.Domain.Tests.Allocations;

/// <summary>Accepting an allocation moves the case to the provider, with its officer, at the instant of acceptance.</summary>
public class AcceptingAnAllocationTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly Area Manchester = new("GMAN", "Greater Manchester", "NPS-NW", "CRC-CGM");
    private static readonly Practitioner TomRiley = new(Guid.CreateVersion7(), "cgm-po-02", "Tom Riley", "CRC-CGM", Grade.Po, 37m);

    private static Case OpenCase() => Case.Open(
        Guid.CreateVersion7(), Crn.Parse("X123456"), "John", null, "Smith", new DateOnly(1985, 3, 14), null, null, Manchester,
        new Sentence(SentenceType.CommunityOrder, new DateOnly(2026, 10, 1), null, null, null, null), [], At.AddDays(-30));

    private static Allocation ProposeFor(Case @case) => Allocation.Propose(
        Guid.CreateVersion7(), @case.Id, @case.Crn, "GMAN", @case.HolderOrganisationCode, "CRC-CGM", AllocationReason.NewSentence, null,
        new RulesDecision(AllocationOutcome.AllocateToProvider, "CRC-CGM", false, [], "2026.1", new string('a', 64), "{}", "{}"),
        null, "nw-spo-01", At, WorkingDays.DueBy(At, 5));

    [Fact]
    public void Accepting_moves_the_case_to_the_provider_with_the_named_officer()
    {
        var @case = OpenCase();
        var allocation = ProposeFor(@case);

        allocation.Accept(@case, "cgm-po-02", At.AddDays(1), TomRiley, null);

        Assert.Equal(AllocationState.Accepted, allocation.State);
        Assert.Equal("CRC-CGM", @case.HolderOrganisationCode);
        Assert.Equal(TomRiley.Id, @case.ResponsibleOfficerId);
        Assert.Equal(At.AddDays(1), @case.HeldSince);
        Assert.Single(@case.Holdings, h => h.IsOpen);
    }

    [Fact]
    public void A_case_that_has_left_the_proposing_organisation_cannot_be_accepted()
    {
        var @case = OpenCase();
        var allocation = ProposeFor(@case);
        @case.TransferTo("NPS-LDN", At.AddHours(1), "Moved to London");

        var refusal = Assert.Throws<DomainRuleViolation>(() => allocation.Accept(@case, "cgm-po-02", At.AddDays(1), TomRiley, null));

        Assert.Equal("case-moved", refusal.Rule);
        Assert.Equal(AllocationState.Proposed, allocation.State);
        Assert.Equal("NPS-LDN", @case.HolderOrganisationCode);
    }

    [Fact]
    public void An_officer_from_another_organisation_cannot_be_named()
    {
        var @case = OpenCase();
        var allocation = ProposeFor(@case);
        var elsewhere = new Practitioner(Guid.CreateVersion7(), "crcl-po-02", "Joseph Mensah", "CRC-LDN", Grade.Po, 37m);

        Assert.Equal("responsible-officer-outside-holder",
            Assert.Throws<DomainRuleViolation>(() => allocation.Accept(@case, "cgm-po-02", At.AddDays(1), elsewhere, null)).Rule);
        Assert.Equal(AllocationState.Proposed, allocation.State);
        Assert.Equal("NPS-NW", @case.HolderOrganisationCode);
    }
}
