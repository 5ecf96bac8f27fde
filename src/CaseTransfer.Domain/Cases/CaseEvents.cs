using CaseTransfer.Domain.Common;

namespace CaseTransfer.Domain.Cases;

public sealed record CaseOpened(string Crn, string HolderOrganisationCode, DateTimeOffset OccurredAt) : IDomainEvent
{
    public string EventType => "case-transfer.case.opened";
    public string Description => "Case record opened";
    string? IDomainEvent.Crn => Crn;
    IEnumerable<string> IDomainEvent.Parties => [HolderOrganisationCode];
}

public sealed record RiskAssessmentRecorded(string Crn, Guid RiskAssessmentId, RoshLevel Rosh, DateTimeOffset OccurredAt) : IDomainEvent
{
    public string EventType => "case-transfer.risk-assessment.recorded";
    public string Description => "Risk assessment recorded";
    string? IDomainEvent.Crn => Crn;
}

public sealed record ResponsibleOfficerAssigned(string Crn, string OrganisationCode, Guid PractitionerId, DateTimeOffset OccurredAt) : IDomainEvent
{
    public string EventType => "case-transfer.case.responsible-officer-assigned";
    public string Description => "Responsible officer assigned";
    string? IDomainEvent.Crn => Crn;
}

public sealed record CaseHolderChanged(string Crn, string FromOrganisation, string ToOrganisation, DateTimeOffset OccurredAt) : IDomainEvent
{
    public string EventType => "case-transfer.case.holder-changed";
    public string Description => "Case moved to another organisation";
    string? IDomainEvent.Crn => Crn;

    // The organisation it left hears of it too: the last event of the case it sees.
    IEnumerable<string> IDomainEvent.Parties => [FromOrganisation, ToOrganisation];
}

/// <summary>Who may see the case changed. Names no one: subscribers read the lists with their own credentials.</summary>
public sealed record CaseAccessLimitsChanged(string Crn, Guid AccessLimitId, DateTimeOffset OccurredAt) : IDomainEvent
{
    public string EventType => "case-transfer.case.access-limits-changed";
    public string Description => "Case exclusion or restriction list changed";
    string? IDomainEvent.Crn => Crn;
}

/// <summary>The case carries another name (an alias or known-as name). Names no one: subscribers read the case with their own credentials.</summary>
public sealed record CaseOtherNameRecorded(string Crn, Guid OtherNameId, DateTimeOffset OccurredAt) : IDomainEvent
{
    public string EventType => "case-transfer.case.other-name-recorded";
    public string Description => "Other name (alias or known-as) recorded on the case";
    string? IDomainEvent.Crn => Crn;
}
