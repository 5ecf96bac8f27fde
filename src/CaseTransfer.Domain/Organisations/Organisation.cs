namespace CaseTransfer.Domain.Organisations;

public enum OrganisationKind
{
    /// <summary>The National Probation Service as a whole.</summary>
    Nps,
    /// <summary>An NPS region; holds cases.</summary>
    NpsRegion,
    /// <summary>A provider (Community Rehabilitation Company); holds cases in the areas it covers.</summary>
    Provider,
}

/// <summary>
/// An organisation on either side of the divide. Organisations form a tree (the NPS above its regions), and an
/// organisation sees cases held by itself or anything below it.
/// </summary>
public sealed class Organisation
{
    public const int CodeMaxLength = 20;

    private Organisation()
    {
    }

    public Organisation(string code, string name, OrganisationKind kind, string? parentCode = null, string? owner = null)
    {
        Code = code;
        Name = name;
        Kind = kind;
        ParentCode = parentCode;
        Owner = owner;
    }

    public string Code { get; private set; } = null!;
    public string Name { get; private set; } = null!;
    public OrganisationKind Kind { get; private set; }
    public string? ParentCode { get; private set; }

    /// <summary>For a provider, the company that owns it.</summary>
    public string? Owner { get; private set; }

    public bool IsNps => Kind is OrganisationKind.Nps or OrganisationKind.NpsRegion;
}

/// <summary>
/// A geographic area (probation delivery unit / contract package area): which NPS region covers it and which
/// provider supervises its low and medium risk cases.
/// </summary>
public sealed class Area
{
    private Area()
    {
    }

    public Area(string code, string name, string npsRegionCode, string providerCode)
    {
        Code = code;
        Name = name;
        NpsRegionCode = npsRegionCode;
        ProviderCode = providerCode;
    }

    public string Code { get; private set; } = null!;
    public string Name { get; private set; } = null!;
    public string NpsRegionCode { get; private set; } = null!;
    public string ProviderCode { get; private set; } = null!;
}

public enum Grade
{
    /// <summary>Probation services officer.</summary>
    Pso,
    /// <summary>Probation officer.</summary>
    Po,
    /// <summary>Senior probation officer (manager; countersigns).</summary>
    Spo,
}

/// <summary>A practitioner who can hold cases as responsible officer. <see cref="StaffCode"/> is the user id in tokens.</summary>
public sealed class Practitioner
{
    private Practitioner()
    {
    }

    public Practitioner(Guid id, string staffCode, string name, string organisationCode, Grade grade, decimal contractedHours)
    {
        Id = id;
        StaffCode = staffCode;
        Name = name;
        OrganisationCode = organisationCode;
        Grade = grade;
        ContractedHours = contractedHours;
    }

    public Guid Id { get; private set; }
    public string StaffCode { get; private set; } = null!;
    public string Name { get; private set; } = null!;
    public string OrganisationCode { get; private set; } = null!;
    public Grade Grade { get; private set; }
    public decimal ContractedHours { get; private set; }

    /// <summary>
    /// Contracted hours less reductions (training, union duties, sickness), which scale the grade's target points;
    /// null when there are no reductions.
    /// </summary>
    public decimal? AvailableHours { get; private set; }

    public decimal EffectiveAvailableHours => AvailableHours ?? ContractedHours;

    /// <summary>Records the hours left after reductions; null when there are none.</summary>
    public void RecordAvailableHours(decimal? hours)
    {
        if (hours is { } h && (h < 0 || h > ContractedHours))
        {
            throw new Common.DomainRuleViolation("available-hours-out-of-range", "Available hours are between none and the contracted hours.");
        }

        AvailableHours = hours;
    }
}
