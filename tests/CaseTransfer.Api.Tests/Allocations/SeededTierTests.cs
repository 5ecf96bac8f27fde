using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseTransfer.Api.Tests.Allocations;

/// <summary>The demo world's cases come with the tier the rules compute, as if their assessment had been recorded.</summary>
public sealed class SeededTierTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task Demo_cases_are_seeded_with_their_computed_tier_and_its_history()
    {
        var seeder = ActivatorUtilities.CreateInstance<Seeder>(app.Services);

        await seeder.SeedCasesAsync(5, withTiers: true, cancellationToken: TestContext.Current.CancellationToken);

        var (cases, tiers) = await app.InDatabaseAsync(async db => (
            await db.Cases.AsNoTracking().Select(c => new { c.Id, c.Tier, c.Version }).ToListAsync(TestContext.Current.CancellationToken),
            await db.CaseTiers.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken)));
        Assert.Equal(5, cases.Count);
        Assert.All(cases, c => Assert.Equal(tiers.Single(t => t.CaseId == c.Id).Tier, c.Tier));
        Assert.All(cases, c => Assert.Matches("^[A-D][0-3]$", c.Tier));
        Assert.All(cases, c => Assert.Equal(2, c.Version));
    }
}
