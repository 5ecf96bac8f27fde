using System.Text.Json;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Allocations;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Allocations;

/// <summary>
/// Rulesets kept in the database by content hash, so a stored decision can be re-run under its own ruleset after its
/// file has changed or gone. Every ruleset loaded is stored at migration (Seeder) and whenever a decision is stored.
/// </summary>
public static class RulesetStore
{
    /// <summary>Stages the rulesets not yet stored; the caller's SaveChanges (or the transaction behaviour) writes them.</summary>
    public static Task StageMissingAsync(IAppDbContext db, IReadOnlyCollection<Ruleset> rulesets, DateTimeOffset at, CancellationToken cancellationToken) =>
        StageMissingAsync(db, rulesets, at, null, cancellationToken);

    /// <summary>
    /// As above, skipping the read for hashes <paramref name="known"/> has already seen committed: a stored ruleset
    /// is never deleted, so once seen it stays stored.
    /// </summary>
    public static async Task StageMissingAsync(
        IAppDbContext db, IReadOnlyCollection<Ruleset> rulesets, DateTimeOffset at, StoredRulesetHashes? known, CancellationToken cancellationToken)
    {
        var hashes = rulesets.Select(r => r.Hash).Where(h => known?.Contains(h) != true).Distinct().ToList();
        if (hashes.Count == 0)
        {
            return;
        }

        var stored = await db.StoredRulesets.Where(s => hashes.Contains(s.Hash)).Select(s => s.Hash).ToListAsync(cancellationToken);
        known?.Add(stored);
        var staged = db.StoredRulesets.Local.Select(s => s.Hash).ToHashSet();
        foreach (var ruleset in rulesets.Where(r => hashes.Contains(r.Hash) && !stored.Contains(r.Hash) && !staged.Contains(r.Hash)).DistinctBy(r => r.Hash))
        {
            db.StoredRulesets.Add(new StoredRuleset(ruleset.Hash, ruleset.Version, ruleset.Content, at));
        }
    }

    /// <summary>The rulesets with these hashes: loaded now if the catalogue has them, else re-parsed from the store.</summary>
    public static async Task<IReadOnlyDictionary<string, Ruleset>> FindAsync(
        IAppDbContext db, RulesetCatalogue catalogue, IReadOnlyCollection<string> hashes, CancellationToken cancellationToken)
    {
        var found = hashes.Distinct().Select(catalogue.FindByHash).OfType<Ruleset>().ToDictionary(r => r.Hash);
        var missing = hashes.Where(h => !found.ContainsKey(h)).Distinct().ToList();
        var stored = await db.StoredRulesets.AsNoTracking().Where(s => missing.Contains(s.Hash)).ToListAsync(cancellationToken);
        foreach (var row in stored)
        {
            // Keyed by the stored hash: the text is what that file held, whatever bytes (a BOM) surrounded it.
            found[row.Hash] = Ruleset.Parse(row.Content);
        }

        return found;
    }
}

/// <summary>
/// The ruleset hashes this process has read back from the store (so committed by someone): a singleton, so a proposal
/// reads the store only until its ruleset has been seen there once. A hash staged but not yet committed is not added.
/// </summary>
public sealed class StoredRulesetHashes
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _hashes = new(StringComparer.Ordinal);

    public bool Contains(string hash) => _hashes.ContainsKey(hash);

    public void Add(IEnumerable<string> hashes)
    {
        foreach (var hash in hashes)
        {
            _hashes.TryAdd(hash, true);
        }
    }
}

/// <summary>
/// How a decision is kept on an allocation (Allocation.FactsJson / DecisionJson), so the consistency audit can re-run
/// it. The allocation workflow builds its <see cref="RulesDecision"/> here.
/// </summary>
public static class StoredDecisions
{
    public static RulesDecision For(AllocationDecision decision, AllocationFacts facts) => new(
        decision.Outcome,
        decision.ReceivingOrganisationCode,
        decision.Provisional,
        decision.MissingFacts,
        decision.RulesetVersion,
        decision.RulesetHash,
        JsonSerializer.Serialize(facts, AppJson.Options),
        JsonSerializer.Serialize(decision, AppJson.Options));

    public static AllocationFacts? Facts(string json) => Read<AllocationFacts>(json);

    public static AllocationDecision? Decision(string json) => Read<AllocationDecision>(json);

    private static T? Read<T>(string json)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, AppJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
