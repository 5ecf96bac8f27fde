using System.Collections.Concurrent;
using CaseTransfer.Application.Common;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Cases;

/// <summary>
/// How many stored name-key rows a search key has, so the name search can start from its most selective token.
/// Large counts are remembered for <see cref="Lifetime"/> (they are expensive to count and change slowly); small ones
/// are counted on every search (cheap, and so a key that was empty before a bulk load is never taken for empty after).
/// </summary>
/// <remarks>
/// The counts only choose which tokens' postings the candidate query reads; the weights and scores of the cases it
/// finds do not depend on them. A stale count can at worst change the pool of candidates until it expires.
/// Registered as a singleton: one per database the process serves.
/// </remarks>
public sealed class NameKeyFrequencies(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>Counts at or above this are remembered.</summary>
    public const long RememberFrom = 50;

    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, (long Count, DateTimeOffset Expires)> remembered = new(StringComparer.Ordinal);

    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(IAppDbContext db, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(keys);
        var now = clock.GetUtcNow();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var key in keys)
        {
            if (remembered.TryGetValue(key, out var entry) && entry.Expires > now)
            {
                counts[key] = entry.Count;
            }
            else
            {
                missing.Add(key);
            }
        }

        if (missing.Count == 0)
        {
            return counts;
        }

        var found = await db.CaseNameKeys.AsNoTracking()
            .Where(k => missing.Contains(k.Key))
            .GroupBy(k => k.Key)
            .Select(g => new { g.Key, Count = g.LongCount() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, StringComparer.Ordinal, cancellationToken);
        if (remembered.Count > MaxEntries)
        {
            remembered.Clear();
        }

        foreach (var key in missing)
        {
            var count = found.GetValueOrDefault(key);
            counts[key] = count;
            if (count >= RememberFrom)
            {
                remembered[key] = (count, now + Lifetime);
            }
        }

        return counts;
    }
}
