namespace CaseTransfer.Application.Common;

/// <summary>The roles a token may carry. Checked on every message by the authorisation behaviour.</summary>
public static class Roles
{
    public const string Allocator = "allocator";
    public const string CaseManager = "case-manager";
    public const string EscalationDecider = "escalation-decider";
    public const string InformationOfficer = "information-officer";
    public const string Auditor = "auditor";
    public const string Admin = "admin";
    public const string PartnerSystem = "partner-system";

    /// <summary>A manager (senior probation officer or above): approves allocation overrides as the second person.</summary>
    public const string Manager = "manager";

    /// <summary>A team manager: raises and takes part in disputes between the organisations at the Local stage.</summary>
    public const string TeamManager = "team-manager";

    /// <summary>A head of service: takes part in disputes at every stage and alone resolves one at the Senior stage.</summary>
    public const string HeadOfService = "head-of-service";

    /// <summary>
    /// The NPS victim liaison unit: records victim conditions, the contact reference and victims' details on any case,
    /// and alone reads those details. Only in an NPS organisation; not a case reader (it reads no case summary).
    /// </summary>
    public const string VictimLiaison = "victim-liaison";

    /// <summary>
    /// A data protection officer: answers subject access requests (the person's whole record in one bundle). Only in
    /// an NPS organisation; not a case reader.
    /// </summary>
    public const string DataProtectionOfficer = "data-protection-officer";

    /// <summary>Every manager's role: a managers' alert is theirs to acknowledge and resolve.</summary>
    public static readonly IReadOnlyList<string> Managers = [Manager, TeamManager, HeadOfService];

    public static readonly IReadOnlyList<string> All =
        [Allocator, CaseManager, EscalationDecider, InformationOfficer, Auditor, Admin, PartnerSystem, Manager, TeamManager, HeadOfService, VictimLiaison, DataProtectionOfficer];

    /// <summary>Everyone who works with case records day to day may read them (within what their organisation sees).</summary>
    public static readonly string[] CaseReaders = [Allocator, CaseManager, EscalationDecider, InformationOfficer, Admin, PartnerSystem, Manager];
}

/// <summary>
/// Declares which roles may send a command or query. Every message must carry one (a test checks), so a new
/// endpoint cannot forget authorisation.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AuthoriseAttribute(params string[] roles) : Attribute
{
    public IReadOnlyList<string> Roles { get; } = roles;
}
