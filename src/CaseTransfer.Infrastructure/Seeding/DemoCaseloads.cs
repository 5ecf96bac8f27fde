using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Organisations;
using CaseTransfer.Domain.Workload;

namespace CaseTransfer.Infrastructure.Seeding;

/// <summary>
/// Gives the demo world's practitioners caseloads, so the practitioners list shows real workload figures. Deterministic
/// for the same cases. Each case keeps the tier the allocation rules computed when it was seeded (or, seeded without
/// one, gets the tier its assessor recorded).
/// Four in five of the cases the active ruleset gives a provider (definitely, not provisionally) move to the provider covering their area; the fifth stays with the NPS awaiting
/// allocation. Then each organisation fills its practitioners towards a capacity set by their place in its list, never
/// past 100% except for two filled past it on purpose: Tom Riley (the demo provider token) and Daniel Okafor
/// (part-time, NPS North West). Cases no one has room for stay without a responsible officer. Only the demo seed calls
/// this: the bench's <c>seed --cases N</c> stays a bulk insert.
/// </summary>
public static class DemoCaseloads
{
    /// <summary>Several hundred people: the fewest with which every demo practitioner carries a caseload once the rules keep the high-risk cases with the NPS.</summary>
    public const int DefaultCaseCount = 800;

    /// <summary>The capacity each demo practitioner is filled to.</summary>
    public static decimal TargetPercent(Practitioner practitioner, int indexInOrganisation) => practitioner.StaffCode switch
    {
        "cgm-po-02" => 104m,
        "nw-po-04" => 108m,
        _ => indexInOrganisation switch { 0 => 45m, 1 => 92m, 2 => 85m, 3 => 80m, _ => 70m },
    };

    public static void Apply(IReadOnlyList<Case> cases, WorkloadModel model, Ruleset rules, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var areas = ReferenceData.Areas.ToDictionary(a => a.Code);
        var awaitingAllocation = new HashSet<Guid>();
        var eligible = 0;
        foreach (var @case in cases)
        {
            var current = @case.RiskAssessments.NewestFirst().FirstOrDefault();
            if (@case.Tier is null)
            {
                // A demo case seeded without its computed tier takes the one its assessor recorded.
                @case.RecordTier(current?.Facts.Tier, now);
            }

            // The active ruleset decides, as for a real allocation; a provisional outcome stays with the NPS.
            var decision = rules.Decide(AllocationFacts.From(@case, current), areas[@case.AreaCode]);
            if (decision is { Outcome: AllocationOutcome.AllocateToProvider, Provisional: false })
            {
                if (eligible++ % 5 == 0)
                {
                    awaitingAllocation.Add(@case.Id);
                }
                else
                {
                    @case.TransferTo(decision.ReceivingOrganisationCode, now, "Demo: allocated to the provider covering the area");
                }
            }
        }

        foreach (var held in cases.Where(c => !awaitingAllocation.Contains(c.Id)).GroupBy(c => c.HolderOrganisationCode))
        {
            var staff = ReferenceData.Practitioners.Where(p => p.OrganisationCode == held.Key).ToList();
            if (staff.Count == 0)
            {
                continue;
            }

            var loads = staff.Select((p, i) => new Load(p, TargetPercent(p, i), model.CaseloadOf(p, 0, 0, today))).ToList();

            // Those meant to be over capacity first, so there are cases enough to take them past it; then the least
            // loaded against their mark, never past 100% for the others. A case no one can take stays unassigned.
            foreach (var @case in held)
            {
                var points = model.PointsFor(@case, today);
                var open = loads.Where(l => l.Ratio < 1m && (l.Target > 100m || !l.Caseload.With(points).IsOverCapacity)).ToList();
                var next = open.FirstOrDefault(l => l.Target > 100m) ?? open.OrderBy(l => l.Ratio).FirstOrDefault();
                if (next is not null)
                {
                    next.Caseload = next.Caseload.With(points);
                    @case.AssignResponsibleOfficer(next.Practitioner, now);
                }
            }
        }

        foreach (var @case in cases)
        {
            @case.ClearDomainEvents();
        }
    }

    private sealed class Load(Practitioner practitioner, decimal target, Caseload caseload)
    {
        public Practitioner Practitioner { get; } = practitioner;
        public decimal Target { get; } = target;
        public Caseload Caseload { get; set; } = caseload;

        /// <summary>Capacity reached as a share of the mark: 1 when there.</summary>
        public decimal Ratio => Caseload.CapacityPercent / Target;
    }
}
