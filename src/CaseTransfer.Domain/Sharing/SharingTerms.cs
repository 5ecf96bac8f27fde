namespace CaseTransfer.Domain.Sharing;

/// <summary>What kind of information is asked for or shared.</summary>
public enum InformationType
{
    /// <summary>Previous convictions ("pre-cons").</summary>
    PreviousConvictions,

    /// <summary>A police Business Intelligence Unit (BIU) check: call-outs and intelligence.</summary>
    PoliceIntelligence,

    /// <summary>Children's services checks and safeguarding concerns about children.</summary>
    SafeguardingChildren,

    /// <summary>Domestic abuse call-outs, disclosures and risk information.</summary>
    DomesticAbuse,

    /// <summary>Victim liaison information (never the victim's personal details, which stay with the NPS victim liaison unit).</summary>
    VictimLiaison,

    /// <summary>Court documents: the indictment, previous pre-sentence reports, orders.</summary>
    CourtDocuments,

    /// <summary>Witness statements.</summary>
    WitnessStatements,

    /// <summary>A risk assessment (OASys) or its risk of serious harm analysis.</summary>
    RiskAssessment,

    /// <summary>Anything else: <c>otherType</c> says what.</summary>
    Other,
}

/// <summary>
/// The lawful basis a request or share relies on: a documented list, so that a data protection officer can read what
/// was relied on without interpreting free text.
/// </summary>
public enum LawfulBasis
{
    /// <summary>Data Protection Act 2018 Part 3 (sections 31 and 35): processing for the law enforcement purposes, which include the execution of criminal penalties (supervision of sentences).</summary>
    LawEnforcementPurposes,

    /// <summary>Offender Management Act 2007 section 14: disclosure for the purposes of probation.</summary>
    ProbationPurposes,

    /// <summary>Criminal Justice Act 2003 section 325: the duty to co-operate under the MAPPA arrangements.</summary>
    MappaDutyToCooperate,

    /// <summary>Children Act 2004 section 11 with DPA 2018 Schedule 1 paragraph 18: safeguarding children and individuals at risk.</summary>
    SafeguardingChildrenAndIndividualsAtRisk,

    /// <summary>Domestic Violence, Crime and Victims Act 2004 section 35: the statutory victim contact scheme.</summary>
    VictimContactScheme,

    /// <summary>UK GDPR Article 6(1)(e): a task carried out in the public interest, for processing outside the law enforcement purposes.</summary>
    PublicTask,
}

/// <summary>What a share lets its recipients do with documents.</summary>
public enum ShareMode
{
    /// <summary>Read the content and view documents inline; no download.</summary>
    ReadOnly,

    /// <summary>Read, view, and download documents as attachments (a copy leaves the service).</summary>
    Copy,
}

/// <summary>How soon a request needs an answer.</summary>
public enum RequestUrgency
{
    Routine,
    Urgent,

    /// <summary>An immediate risk: answered the same day.</summary>
    Emergency,
}

/// <summary>Where a request for information stands. Requested is open; the others are final.</summary>
public enum InformationRequestState
{
    Requested,
    Provided,
    PartlyProvided,
    Refused,
    Withdrawn,
}

/// <summary>Why information is refused or withheld, as a code a data protection officer can count.</summary>
public enum WithholdingReason
{
    /// <summary>The organisation does not hold the information.</summary>
    NotHeld,

    /// <summary>The stated lawful basis does not cover this disclosure.</summary>
    NoLawfulBasis,

    /// <summary>Not necessary or not proportionate to the stated purpose.</summary>
    NotNecessaryForPurpose,

    /// <summary>It would identify a third party (a victim, a witness, an informant) who has not consented.</summary>
    ThirdPartyInformation,

    /// <summary>Disclosure would prejudice an investigation or proceedings (DPA 2018 s.45(4)).</summary>
    PrejudiceToInvestigation,

    /// <summary>The holder must obtain it from, or refer the requester to, another body (the police, children's services).</summary>
    HeldByAnotherBody,

    /// <summary>Another reason, stated in words.</summary>
    Other,
}
