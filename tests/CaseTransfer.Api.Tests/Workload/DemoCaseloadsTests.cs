using CaseTransfer.Api.Tests.Contract;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Workload;
using CaseTransfer.Infrastructure.Seeding;

namespace CaseTransfer.Api.Tests.Workload;

/// <summary>The demo seed's caseloads: realistic figures, two practitioners over capacity, the same every time.</summary>
public sealed class DemoCaseloadsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private static (List<Case> Cases, Dictionary<Guid, Caseload> Caseloads) Seed()
    {
        // As the demo seed does: each case with the tier the active ruleset computes, then the caseloads.
        var rules = Ruleset.Parse(File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "rules", "allocation", "2026.1.yaml")));
        var cases = Enumerable.Range(0, DemoCaseloads.DefaultCaseCount).Select(i => SyntheticCases.Create(i, ReferenceData.Areas, Now, tiering: rules)).ToList();
        var model = new WorkloadModel(ReferenceData.WorkloadWeightings, ReferenceData.GradeTargets);
        DemoCaseloads.Apply(cases, model, rules, Now);
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var caseloads = ReferenceData.Practitioners.ToDictionary(p => p.Id, p =>
        {
            var own = cases.Where(c => c.ResponsibleOfficerId == p.Id).ToList();
            return model.CaseloadOf(p, own.Count, own.Sum(c => model.PointsFor(c, today)), today);
        });
        return (cases, caseloads);
    }

    [Fact]
    public void Every_demo_practitioner_carries_cases_and_exactly_two_are_over_capacity()
    {
        var (cases, caseloads) = Seed();

        Assert.All(caseloads.Values, c => Assert.True(c.CaseCount > 0));
        var over = ReferenceData.Practitioners.Where(p => caseloads[p.Id].IsOverCapacity).Select(p => p.StaffCode).Order().ToList();
        Assert.Equal(["cgm-po-02", "nw-po-04"], over);
        Assert.All(cases.Where(c => c.ResponsibleOfficerId is not null), c => Assert.NotEmpty(c.Holdings));
        Assert.Contains(cases, c => c.ResponsibleOfficerId is null && c.HolderOrganisationCode.StartsWith("NPS", StringComparison.Ordinal));
        Assert.Contains(cases, c => c.HolderOrganisationCode == ReferenceData.CrcGreaterManchester);
        Assert.All(cases, c => Assert.Empty(c.DomainEvents));
    }

    [Fact]
    public void The_demo_caseloads_are_the_same_on_every_run()
    {
        var first = Seed().Caseloads;
        var second = Seed().Caseloads;

        Assert.Equal(first, second);
    }
}
