using CaseTransfer.Domain.Organisations;
using CaseTransfer.Domain.Workload;

namespace CaseTransfer.Infrastructure.Seeding;

/// <summary>
/// The demo world's organisations: the NPS with two regions, three providers covering named areas, and
/// practitioners in each. Staff codes are stable so the printed demo tokens name real practitioners.
/// </summary>
public static class ReferenceData
{
    public const string Nps = "NPS";
    public const string NpsNorthWest = "NPS-NW";
    public const string NpsLondon = "NPS-LDN";
    public const string CrcGreaterManchester = "CRC-CGM";
    public const string CrcMerseyside = "CRC-MLC";
    public const string CrcLondon = "CRC-LDN";

    public static IReadOnlyList<Organisation> Organisations { get; } =
    [
        new(Nps, "National Probation Service", OrganisationKind.Nps),
        new(NpsNorthWest, "NPS North West", OrganisationKind.NpsRegion, Nps),
        new(NpsLondon, "NPS London", OrganisationKind.NpsRegion, Nps),
        new(CrcGreaterManchester, "Cheshire and Greater Manchester CRC", OrganisationKind.Provider, owner: "Purple Futures"),
        new(CrcMerseyside, "Merseyside, Lancashire and Cumbria CRC", OrganisationKind.Provider, owner: "Sodexo Justice Services"),
        new(CrcLondon, "London CRC", OrganisationKind.Provider, owner: "MTCnovo"),
    ];

    public static IReadOnlyList<Area> Areas { get; } =
    [
        new("GMAN", "Greater Manchester", NpsNorthWest, CrcGreaterManchester),
        new("CHES", "Cheshire", NpsNorthWest, CrcGreaterManchester),
        new("MERS", "Merseyside", NpsNorthWest, CrcMerseyside),
        new("LANC", "Lancashire", NpsNorthWest, CrcMerseyside),
        new("CUMB", "Cumbria", NpsNorthWest, CrcMerseyside),
        new("LDNN", "London North", NpsLondon, CrcLondon),
        new("LDNS", "London South", NpsLondon, CrcLondon),
    ];

    public static IReadOnlyList<Practitioner> Practitioners { get; } = BuildPractitioners();

    /// <summary>When the weightings and targets below came into force: the day the tiering framework took effect.</summary>
    public static readonly DateOnly WorkloadModelEffectiveFrom = new(2021, 6, 26);

    /// <summary>
    /// Points per case by tier and type, modelled on the HMPPS workload measurement tool's table (community, custody,
    /// licence for the sixteen tiers A3..D0). Where that table leaves a custody or licence cell at zero (the X0 tiers),
    /// the cell is filled at the tier's community ratio (X0 = 3/4 of X1) so no supervised case weighs nothing. A case
    /// with no tier yet scores as C2, the middle of the table, so it neither vanishes from a caseload nor dominates it.
    /// </summary>
    public static IReadOnlyList<WorkloadWeighting> WorkloadWeightings { get; } = BuildWeightings();

    /// <summary>Target points for a full-time (37 hour) practitioner of each grade; a senior carries a manager's half caseload.</summary>
    public static IReadOnlyList<GradeTarget> GradeTargets { get; } =
    [
        new(WorkloadModelEffectiveFrom, Grade.Pso, 2176),
        new(WorkloadModelEffectiveFrom, Grade.Po, 2176),
        new(WorkloadModelEffectiveFrom, Grade.Spo, 1088),
    ];

    private static List<WorkloadWeighting> BuildWeightings()
    {
        (string Tier, int Community, int Custody, int Licence)[] table =
        [
            ("A3", 206, 75, 219), ("A2", 158, 60, 175), ("A1", 146, 59, 163), ("A0", 110, 44, 122),
            ("B3", 146, 59, 161), ("B2", 115, 48, 132), ("B1", 102, 47, 119), ("B0", 72, 35, 89),
            ("C3", 79, 30, 77), ("C2", 63, 24, 65), ("C1", 50, 23, 52), ("C0", 35, 17, 39),
            ("D3", 51, 17, 51), ("D2", 41, 14, 43), ("D1", 29, 13, 31), ("D0", 29, 10, 23),
            (WorkloadWeighting.Untiered, 63, 24, 65),
        ];
        return [.. table.SelectMany(row => new WorkloadWeighting[]
        {
            new(WorkloadModelEffectiveFrom, row.Tier, WorkloadCaseType.Community, row.Community),
            new(WorkloadModelEffectiveFrom, row.Tier, WorkloadCaseType.Custody, row.Custody),
            new(WorkloadModelEffectiveFrom, row.Tier, WorkloadCaseType.Licence, row.Licence),
        })];
    }

    private static List<Practitioner> BuildPractitioners()
    {
        // Fixed names and ids: the same demo world on every machine and every engine.
        (string Org, string Prefix, string[] Names)[] staff =
        [
            (NpsNorthWest, "nw", ["Priya Patel", "Gareth Evans", "Siobhan O'Neill", "Daniel Okafor", "Helen Whitaker"]),
            (NpsLondon, "ldn", ["Marcus Campbell", "Fatima Begum", "Oliver Hughes", "Grace Adeyemi"]),
            (CrcGreaterManchester, "cgm", ["Amira Khan", "Tom Riley", "Jade Thompson", "Connor Walsh", "Leah Booth"]),
            (CrcMerseyside, "mlc", ["Kieran Doyle", "Sarah Molyneux", "Ben Ashworth", "Chloe Parry"]),
            (CrcLondon, "crcl", ["Nadia Rahman", "Joseph Mensah", "Emily Carter", "Ravi Sharma"]),
        ];
        var list = new List<Practitioner>();
        var n = 0;
        foreach (var (org, prefix, names) in staff)
        {
            for (var i = 0; i < names.Length; i++)
            {
                var grade = i == 0 ? Grade.Spo : i % 2 == 1 ? Grade.Po : Grade.Pso;
                var id = new Guid($"00000000-0000-7000-8000-{++n:D12}");
                var practitioner = new Practitioner(id, $"{prefix}-{grade.ToString().ToLowerInvariant()}-{i + 1:D2}", names[i], org, grade, i == 3 ? 22.5m : 37m);
                if (i == 4)
                {
                    practitioner.RecordAvailableHours(29.6m); // A day a week of reductions (training, union duties), for the workload figures.
                }

                list.Add(practitioner);
            }
        }

        return list;
    }
}
