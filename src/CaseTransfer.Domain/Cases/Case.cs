using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Escalations;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;

namespace CaseTransfer.Domain.Cases;

/// <summary>The person on probation as a case: who they are, the sentence, the risk history and who holds it.</summary>
public sealed class Case : AggregateRoot
{
    private readonly List<Requirement> _requirements = [];
    private readonly List<RiskAssessment> _riskAssessments = [];
    private readonly List<CaseHolding> _holdings = [];

    // True on the instance Open returns, never on one read from the database: what is recorded with it is part of the opening.
    private bool _opening;

    private Case()
    {
    }

    public Guid Id { get; private set; }
    public Crn Crn { get; private set; }
    public string FirstName { get; private set; } = null!;
    public string? MiddleNames { get; private set; }
    public string LastName { get; private set; } = null!;
    public DateOnly DateOfBirth { get; private set; }
    public PncId? PncId { get; private set; }
    public NomsNumber? NomsNumber { get; private set; }
    public string AreaCode { get; private set; } = null!;
    public Sentence Sentence { get; private set; } = null!;

    /// <summary>The organisation that holds the case now: the one fact the security model turns on.</summary>
    public string HolderOrganisationCode { get; private set; } = null!;
    public Guid? ResponsibleOfficerId { get; private set; }

    /// <summary>The tier last computed by the allocation rules (e.g. <c>B2</c>); the history is in <see cref="CaseTier"/>.</summary>
    public string? Tier { get; private set; }

    /// <summary>True while the case has an exclusion or restriction list; lets every read skip the lists otherwise.</summary>
    public bool HasAccessLimits { get; private set; }
    public DateTimeOffset HeldSince { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>
    /// The instant of the last audited write on the case (its own changes and its workflows': allocations, escalations),
    /// kept by the service with each write so that a quiet case is found by an index, not by scanning the audit log;
    /// also the alert job's high-water mark for what changed.
    /// </summary>
    public DateTimeOffset LastAuditedWriteAt { get; private set; }

    /// <summary>
    /// Since when a provider holding the case has been required to escalate it (the rules keep such a case with the
    /// NPS); null when not required. Set by <see cref="RequireEscalation"/>, cleared when an assessment no longer
    /// requires it or the case leaves the provider.
    /// </summary>
    public DateTimeOffset? EscalationRequiredSince { get; private set; }

    /// <summary>The provider required to escalate (see <see cref="EscalationRequiredSince"/>).</summary>
    public string? EscalationRequiredOf { get; private set; }

    /// <summary>Optimistic concurrency version; the ETag. Every change increments it.</summary>
    public long Version { get; private set; }

    public IReadOnlyList<Requirement> Requirements => _requirements;
    public IReadOnlyList<RiskAssessment> RiskAssessments => _riskAssessments;
    public IReadOnlyList<CaseHolding> Holdings => _holdings;

    public string Forenames => MiddleNames is null ? FirstName : $"{FirstName} {MiddleNames}";

    public static Case Open(
        Guid id,
        Crn crn,
        string firstName,
        string? middleNames,
        string lastName,
        DateOnly dateOfBirth,
        PncId? pncId,
        NomsNumber? nomsNumber,
        Area area,
        Sentence sentence,
        IEnumerable<(RequirementType Type, DateOnly? Start, DateOnly? ExpectedEnd)> requirements,
        DateTimeOffset at)
    {
        if (dateOfBirth >= DateOnly.FromDateTime(at.UtcDateTime))
        {
            throw new DomainRuleViolation("date-of-birth-in-future", "The date of birth is not in the past.");
        }

        if (sentence.SentenceDate < dateOfBirth)
        {
            throw new DomainRuleViolation("sentence-before-birth", "The sentence date is before the date of birth.");
        }

        sentence.EnsureCoherent();

        // Every case starts with the NPS: it does the court work and the first risk assessment, then allocates.
        var @case = new Case
        {
            Id = id,
            Crn = crn,
            FirstName = firstName.Trim(),
            MiddleNames = string.IsNullOrWhiteSpace(middleNames) ? null : middleNames.Trim(),
            LastName = lastName.Trim(),
            DateOfBirth = dateOfBirth,
            PncId = pncId,
            NomsNumber = nomsNumber,
            AreaCode = area.Code,
            Sentence = sentence,
            HolderOrganisationCode = area.NpsRegionCode,
            HeldSince = at,
            CreatedAt = at,
            UpdatedAt = at,
            LastAuditedWriteAt = at,
            Version = 1,
            _opening = true,
        };
        foreach (var (type, start, end) in requirements)
        {
            @case.AddRequirement(type, start, end, at);
        }

        @case._holdings.Add(new CaseHolding(Guid.CreateVersion7(at), id, area.NpsRegionCode, null, at, "Case opened"));
        @case.Raise(new CaseOpened(crn.Value, area.NpsRegionCode, at));
        return @case;
    }

    /// <summary>Records that one of the case's requirements started on <paramref name="on"/> (clears a requirement-not-started alert).</summary>
    public void StartRequirement(Guid requirementId, DateOnly on, DateTimeOffset at)
    {
        var requirement = _requirements.SingleOrDefault(r => r.Id == requirementId)
            ?? throw new ArgumentException($"Case {Crn.Value} has no requirement {requirementId}.", nameof(requirementId));
        if (on > DateOnly.FromDateTime(at.UtcDateTime))
        {
            throw new DomainRuleViolation("requirement-started-in-future", $"The {requirement.Type} requirement's start is in the future.");
        }

        requirement.Start(on);
    }

    private void AddRequirement(RequirementType type, DateOnly? start, DateOnly? end, DateTimeOffset at)
    {
        if (start is { } s && end is { } e && e < s)
        {
            throw new DomainRuleViolation("end-before-start", $"The {type} requirement ends before it starts.");
        }

        _requirements.Add(new Requirement(Guid.CreateVersion7(at), Id, type, start, end));
    }

    /// <summary>An audited write on the case, or on one of its workflows, at <paramref name="at"/> (see <see cref="LastAuditedWriteAt"/>).</summary>
    public void AuditedWrite(DateTimeOffset at)
    {
        if (at > LastAuditedWriteAt)
        {
            LastAuditedWriteAt = at;
        }
    }

    public RiskAssessment RecordRiskAssessment(RiskFacts facts, string recordedBy, string recordedByOrganisation, DateTimeOffset at)
    {
        facts.EnsureCoherent();
        if (facts.AssessedOn > DateOnly.FromDateTime(at.UtcDateTime))
        {
            throw new DomainRuleViolation("assessment-in-future", "The assessment date is in the future.");
        }

        var assessment = new RiskAssessment(Guid.CreateVersion7(at), Id, facts, at, recordedBy, recordedByOrganisation);
        _riskAssessments.Add(assessment);
        Touch(at);
        Raise(new RiskAssessmentRecorded(Crn.Value, assessment.Id, facts.Rosh, at));
        return assessment;
    }

    /// <summary>
    /// Records a risk assessment and the tier the rules compute from the case's current risk, as one change (one
    /// version). <paramref name="currentBefore"/> is the current assessment before this one (a change does not load
    /// the history), so an assessment entered late with an older date does not become the current risk. The case's
    /// requirements must be loaded: they are need indicators for the tier.
    /// </summary>
    /// <remarks>Returns the current assessment after this one and the facts the rules read from it, for any other decision on them.</remarks>
    public (RiskAssessment Assessment, TierAssessment Tier, RiskAssessment Current, AllocationFacts Facts) RecordRiskAssessment(
        RiskFacts facts, string recordedBy, string recordedByOrganisation, DateTimeOffset at, RiskAssessment? currentBefore, Ruleset rules)
    {
        var assessment = RecordRiskAssessment(facts, recordedBy, recordedByOrganisation, at);
        var current = AllocationFacts.CurrentAssessment(currentBefore is null ? [assessment] : [currentBefore, assessment])!;
        var read = AllocationFacts.From(this, current);
        var tier = rules.Tier(read);
        Tier = tier.Tier;
        return (assessment, tier, current, read);
    }

    /// <summary>
    /// A provider holds the case and the rules now keep such a case with the NPS: says so to partner systems
    /// (<c>case-transfer.case.escalation-required</c>), with what an alert needs (the provider, the NPS region, when).
    /// </summary>
    public void RequireEscalation(EscalationRequirement requirement, DateTimeOffset at)
    {
        if (requirement.Crn != Crn.Value || requirement.Provider != HolderOrganisationCode)
        {
            throw new ArgumentException($"The requirement is for {requirement.Crn} held by {requirement.Provider}.", nameof(requirement));
        }

        if (EscalationRequiredSince is null || EscalationRequiredOf != requirement.Provider)
        {
            EscalationRequiredSince = at;
            EscalationRequiredOf = requirement.Provider;
        }

        Raise(new CaseEscalationRequired(requirement, at));
    }

    /// <summary>A risk assessment recorded on the case no longer requires escalation: the alert condition clears.</summary>
    public void EscalationNoLongerRequired()
    {
        EscalationRequiredSince = null;
        EscalationRequiredOf = null;
    }

    /// <summary>Names the practitioner in the holding organisation who is responsible for the case.</summary>
    public void AssignResponsibleOfficer(Practitioner practitioner, DateTimeOffset at, string? capacityAcknowledgement = null)
    {
        if (practitioner.OrganisationCode != HolderOrganisationCode)
        {
            throw new DomainRuleViolation(
                "responsible-officer-outside-holder",
                "The responsible officer must work for the organisation that holds the case.");
        }

        if (ResponsibleOfficerId == practitioner.Id)
        {
            throw new DomainRuleViolation("already-responsible-officer", "That practitioner is already the responsible officer.");
        }

        StartHolding(HolderOrganisationCode, practitioner.Id, at, "Responsible officer assigned", capacityAcknowledgement);
        Raise(new ResponsibleOfficerAssigned(Crn.Value, HolderOrganisationCode, practitioner.Id, at));
    }

    /// <summary>
    /// Hands the case from <paramref name="from"/> to another organisation and the practitioner there who will hold it
    /// (an allocation or an escalation accepted). Refused when the case has since left <paramref name="from"/>: the
    /// receiver would take it from someone else. Nothing changes unless everything is allowed.
    /// </summary>
    public void HandOver(string from, string to, DateTimeOffset at, string reason, Practitioner responsibleOfficer)
    {
        if (HolderOrganisationCode != from)
        {
            throw new DomainRuleViolation("case-moved", $"The case is now held by {HolderOrganisationCode}, not {from}.");
        }

        TransferTo(to, at, reason, responsibleOfficer);
    }

    /// <summary>
    /// Moves the case to another organisation, optionally naming the practitioner there who will hold it. The old
    /// holding closes at the instant the new one opens.
    /// </summary>
    public void TransferTo(string organisationCode, DateTimeOffset at, string reason, Practitioner? responsibleOfficer = null)
    {
        if (organisationCode == HolderOrganisationCode)
        {
            throw new DomainRuleViolation("already-holder", "The case is already held by that organisation.");
        }

        if (responsibleOfficer is not null && responsibleOfficer.OrganisationCode != organisationCode)
        {
            throw new DomainRuleViolation(
                "responsible-officer-outside-holder",
                "The responsible officer must work for the organisation that will hold the case.");
        }

        var from = HolderOrganisationCode;
        StartHolding(organisationCode, responsibleOfficer?.Id, at, reason);
        Raise(new CaseHolderChanged(Crn.Value, from, organisationCode, at));
        if (responsibleOfficer is not null)
        {
            Raise(new ResponsibleOfficerAssigned(Crn.Value, organisationCode, responsibleOfficer.Id, at));
        }
    }

    /// <summary>Records a newly computed tier. The computation itself, with its working, is kept as a <see cref="CaseTier"/>.</summary>
    public void RecordTier(string? tier, DateTimeOffset at)
    {
        if (tier == Tier)
        {
            return;
        }

        Tier = tier;
        Touch(at);
    }

    /// <summary>
    /// Names a member of staff on the case's exclusion or restriction list. Refused when it would contradict the other
    /// list, exclude the responsible officer (reassign the case first), or lock out the person making the change (a
    /// restriction list must name them: add yourself first). A restriction list that would leave the responsible
    /// officer unable to see the case they hold names them too, as an entry of its own added by the same person, so
    /// the officer keeps sight of the case and the list says so.
    /// </summary>
    public AccessLimitChange LimitAccess(
        AccessLists lists, AccessLimitKind kind, string staffCode, string? reason, string? responsibleOfficerStaffCode, string addedBy, DateTimeOffset at)
    {
        if (lists.Names(kind, staffCode))
        {
            throw new DomainRuleViolation("already-on-access-list", $"{staffCode} is already on the case's {kind.ToString().ToLowerInvariant()} list.");
        }

        var other = kind == AccessLimitKind.Exclusion ? AccessLimitKind.Restriction : AccessLimitKind.Exclusion;
        if (lists.Names(other, staffCode))
        {
            throw new DomainRuleViolation(
                "access-lists-contradict", $"{staffCode} is on the case's {other.ToString().ToLowerInvariant()} list; remove them from it first.");
        }

        if (kind == AccessLimitKind.Exclusion && staffCode == responsibleOfficerStaffCode)
        {
            throw new DomainRuleViolation(
                "responsible-officer-excluded", $"{staffCode} is the case's responsible officer; give the case to someone else before excluding them.");
        }

        var limit = new CaseAccessLimit(Guid.CreateVersion7(at), Id, kind, staffCode, reason, addedBy, at);
        var after = lists.With(limit);
        if (kind == AccessLimitKind.Restriction && !after.Allows(addedBy))
        {
            throw new DomainRuleViolation(
                "restriction-would-lock-out-caller", "A restriction list must name the person who keeps it: add yourself to it first.");
        }

        var officer = kind == AccessLimitKind.Restriction && responsibleOfficerStaffCode is { } code && !after.Allows(code)
            ? new CaseAccessLimit(Guid.CreateVersion7(at), Id, AccessLimitKind.Restriction, code, ResponsibleOfficerNamedReason, addedBy, at)
            : null;
        var change = new AccessLimitChange(limit, officer);
        ChangeAccess(change, true, at);
        return change;
    }

    /// <summary>The reason stored on the entry that names the responsible officer on a restriction list (see <see cref="LimitAccess"/>).</summary>
    public const string ResponsibleOfficerNamedReason = "Responsible officer: named so they keep sight of the case they hold.";

    /// <summary>
    /// Takes a name off a list; the entry is kept with who removed it and when. Refused when it would lock out the
    /// person making the change, or the responsible officer while others stay on the restriction list (give the case
    /// to someone else first). Removing the last name on a restriction list lifts it, which locks out no one; so does
    /// taking yourself off when only the responsible officer would be left on it: their entry is removed with yours,
    /// since it is there only so that the list cannot hide the case from them.
    /// </summary>
    public AccessLimitChange RemoveAccessLimit(AccessLists lists, CaseAccessLimit limit, string? responsibleOfficerStaffCode, string removedBy, DateTimeOffset at)
    {
        if (!limit.IsActive)
        {
            throw new DomainRuleViolation("access-limit-already-removed", "That access limit was already removed.");
        }

        var restriction = limit.Kind == AccessLimitKind.Restriction;
        var after = lists.Without(limit);
        var officerEntry = restriction && limit.StaffCode == removedBy && responsibleOfficerStaffCode is { } code
            ? after.OnlyRestriction(code)
            : null;
        if (officerEntry is not null)
        {
            after = after.Without(officerEntry);
        }

        if (restriction && !after.Allows(removedBy))
        {
            throw new DomainRuleViolation(
                "restriction-would-lock-out-caller", "Removing yourself from the restriction list would lock you out; remove the others first.");
        }

        // Only a change that would newly hide the case from its officer is refused: a list that already left them out
        // (made before lists kept the officer) can still be worked down and lifted.
        if (restriction && responsibleOfficerStaffCode is { } officer && lists.Allows(officer) && !after.Allows(officer))
        {
            throw new DomainRuleViolation(
                "restriction-would-lock-out-responsible-officer",
                $"{officer} is the case's responsible officer; give the case to someone else before taking them off the restriction list.");
        }

        limit.Remove(removedBy, at);
        officerEntry?.Remove(removedBy, at);
        var change = new AccessLimitChange(limit, officerEntry);
        ChangeAccess(change, after.Active.Count > 0, at);
        return change;
    }

    /// <summary>
    /// Records other names the person is known by (aliases, known-as names), all or none, as one change: one version
    /// step and a <c>case-transfer.case.other-name-recorded</c> event per name. Each is refused when it is the case's own
    /// name, already recorded, or would take the case past <see cref="CaseOtherName.MaxPerCase"/> (see
    /// <see cref="CaseOtherName"/>). <paramref name="existing"/> is every other name the case carries.
    /// </summary>
    public IReadOnlyList<CaseOtherName> RecordOtherNames(
        IReadOnlyCollection<CaseOtherName> existing, IReadOnlyList<OtherNameFacts> names, string recordedBy, DateTimeOffset at)
    {
        var recorded = OtherNames(existing, names, recordedBy, at);
        if (recorded.Count > 0)
        {
            Touch(at);
            foreach (var name in recorded)
            {
                Raise(new CaseOtherNameRecorded(Crn.Value, name.Id, at));
            }
        }

        return recorded;
    }

    /// <summary>
    /// Other names given with the case as it is opened: part of the opening (no version step, no event of their own:
    /// <c>case-transfer.case.opened</c> covers them), under the same rules as <see cref="RecordOtherNames"/>. Only on the
    /// instance <see cref="Open"/> returned.
    /// </summary>
    public IReadOnlyList<CaseOtherName> RecordOtherNamesAtOpening(IReadOnlyList<OtherNameFacts> names, string recordedBy)
    {
        if (!_opening)
        {
            throw new InvalidOperationException("Other names are recorded at opening only on the case Open returned; later use RecordOtherNames.");
        }

        return OtherNames([], names, recordedBy, CreatedAt);
    }

    private List<CaseOtherName> OtherNames(IReadOnlyCollection<CaseOtherName> existing, IReadOnlyList<OtherNameFacts> names, string recordedBy, DateTimeOffset at)
    {
        var all = new List<CaseOtherName>(existing);
        var recorded = new List<CaseOtherName>(names.Count);
        foreach (var n in names)
        {
            var name = CaseOtherName.Record(Id, Forenames, LastName, all, n.Kind, n.FirstName, n.MiddleNames, n.LastName, recordedBy, at);
            all.Add(name);
            recorded.Add(name);
        }

        return recorded;
    }

    /// <summary>One version step for the change; an event for each entry it added or removed.</summary>
    private void ChangeAccess(AccessLimitChange change, bool hasLimits, DateTimeOffset at)
    {
        HasAccessLimits = hasLimits;
        Touch(at);
        Raise(new CaseAccessLimitsChanged(Crn.Value, change.Limit.Id, at));
        if (change.ResponsibleOfficer is { } officer)
        {
            Raise(new CaseAccessLimitsChanged(Crn.Value, officer.Id, at));
        }
    }

    private void StartHolding(string organisationCode, Guid? officer, DateTimeOffset at, string reason, string? capacityAcknowledgement = null)
    {
        // Holdings are loaded with the case whenever it is changed; the open one is closed, never edited.
        foreach (var open in _holdings.Where(h => h.IsOpen))
        {
            open.Close(at);
        }

        _holdings.Add(new CaseHolding(Guid.CreateVersion7(at), Id, organisationCode, officer, at, reason, capacityAcknowledgement));
        if (organisationCode != HolderOrganisationCode)
        {
            HeldSince = at;
            EscalationNoLongerRequired();
        }

        HolderOrganisationCode = organisationCode;
        ResponsibleOfficerId = officer;
        Touch(at);
    }

    private void Touch(DateTimeOffset at)
    {
        UpdatedAt = at;
        Version++;
    }
}
