using CaseTransfer.Domain.Organisations;

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
                list.Add(new Practitioner(id, $"{prefix}-{grade.ToString().ToLowerInvariant()}-{i + 1:D2}", names[i], org, grade, i == 3 ? 22.5m : 37m));
            }
        }

        return list;
    }
}
