namespace CaseTransfer.Domain.Cases;

/// <summary>Risk of Serious Harm level from the risk assessment.</summary>
public enum RoshLevel
{
    Low,
    Medium,
    High,
    VeryHigh,
}

public enum MappaCategory
{
    None,
    /// <summary>Registered sexual offenders.</summary>
    Category1,
    /// <summary>Violent offenders (12 months+ custody).</summary>
    Category2,
    /// <summary>Other dangerous offenders.</summary>
    Category3,
    /// <summary>Terrorism-related.</summary>
    Category4,
}

public enum MappaLevel
{
    None,
    /// <summary>Ordinary agency management.</summary>
    Level1,
    Level2,
    Level3,
}

/// <summary>Flags raised by a risk assessment that the other side of the divide must know about.</summary>
[Flags]
public enum RiskFlags
{
    None = 0,
    DomesticAbuse = 1,
    SafeguardingChildren = 2,
    VictimContactScheme = 4,
    PublicInterest = 8,
    RiskToStaff = 16,
}

public enum SentenceType
{
    CommunityOrder,
    SuspendedSentenceOrder,
    DeterminateCustody,
    ExtendedDeterminate,
    Life,
    Ipp,
}

public enum RequirementType
{
    Supervision,
    UnpaidWork,
    AccreditedProgramme,
    RehabilitationActivity,
    Curfew,
    Exclusion,
    Residence,
    DrugRehabilitation,
    AlcoholTreatment,
    MentalHealthTreatment,
    Prohibited,
}
