using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Escalations;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;

namespace CaseTransfer.Domain.Tests.Escalations;

/// <summary>A case in Greater Manchester held by CRC-CGM, and the people either side of an escalation of it.</summary>
internal static class EscalationWorld
{
    public static readonly Area Manchester = new("GMAN", "Greater Manchester", "NPS-NW", "CRC-CGM");
    public static readonly Organisation Provider = new("CRC-CGM", "Cheshire and Greater Manchester CRC", OrganisationKind.Provider);
    public static readonly Organisation NpsNorthWest = new("NPS-NW", "NPS North West", OrganisationKind.NpsRegion, "NPS");
    public static readonly Practitioner PriyaPatel = new(Guid.CreateVersion7(), "nw-spo-01", "Priya Patel", "NPS-NW", Grade.Spo, 37m);
    public static readonly Practitioner TomRiley = new(Guid.CreateVersion7(), "cgm-po-02", "Tom Riley", "CRC-CGM", Grade.Po, 37m);

    public static (Case Case, RiskAssessment Assessment) ProviderHeldCase(DateTimeOffset at, RoshLevel rosh = RoshLevel.High)
    {
        var @case = Case.Open(
            Guid.CreateVersion7(), Crn.Parse("X123456"), "John", null, "Smith", new DateOnly(1985, 3, 14), null, null, Manchester,
            new Sentence(SentenceType.CommunityOrder, new DateOnly(2026, 10, 1), null, null, null, null), [], at.AddDays(-60));
        @case.TransferTo(Provider.Code, at.AddDays(-30), "Allocation accepted (NewSentence)", TomRiley);
        var assessment = @case.RecordRiskAssessment(
            new RiskFacts(DateOnly.FromDateTime(at.UtcDateTime.AddDays(-1)), rosh, 3m, 40m, MappaCategory.None, MappaLevel.None, null, RiskFlags.None),
            "cgm-po-02",
            Provider.Code,
            at.AddHours(-1));
        @case.ClearDomainEvents();
        return (@case, assessment);
    }

    public static Escalation Request(
        Case @case,
        RiskAssessment assessment,
        DateTimeOffset at,
        EscalationUrgency urgency = EscalationUrgency.Standard,
        EscalationReason reason = EscalationReason.RoshIncrease,
        string? reasonText = null,
        Organisation? holder = null) =>
        Escalation.Request(
            Guid.CreateVersion7(at), @case.Id, @case.Crn, holder ?? Provider, Manchester, reason, reasonText, urgency, assessment,
            "Arrested for a violent offence on 3 December; partner disclosed threats", ["oasys:2027-0001"], "cgm-po-02", at, EscalationDeadlines.Default);
}
