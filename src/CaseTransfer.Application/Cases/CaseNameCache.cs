using System.Collections.Concurrent;
using CaseTransfer.Application.Common;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Cases;

/// <summary>
/// The CRN and names of cases the name search has ranked, by case id, so a pool of thousands of candidates is scored
/// and ordered without reading thousands of wide case rows scattered over the file: only the cases that make the
/// ranking are then read, through the caller's visibility filter.
/// </summary>
/// <remarks>
/// Safe to keep because none of it changes once a case is opened (<see cref="Domain.Cases.Case"/> sets its CRN and
/// names only at creation): what may change (holder, access limits) is never taken from here, and a case that no longer
/// exists is simply not found when its row is read. Bounded: cleared when it holds more than <see cref="MaxEntries"/>.
/// Registered as a singleton; case ids are unique across databases.
/// </remarks>
public sealed class CaseNameCache
{
    /// <summary>About 200 bytes an entry: some 60 MB at most.</summary>
    public const int MaxEntries = 300_000;

    /// <summary>How many ids one read takes at most (PostgreSQL keeps probing the key below a few thousand).</summary>
    public const int ReadChunk = 1_000;

    private readonly ConcurrentDictionary<Guid, CaseName> names = new();

    /// <summary>The CRN and names of the given cases, whoever holds them (callers filter visibility themselves).</summary>
    public async Task<Dictionary<Guid, CaseName>> GetAsync(IAppDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(ids);
        var found = new Dictionary<Guid, CaseName>(ids.Count);
        var missing = new List<Guid>();
        foreach (var id in ids)
        {
            if (names.TryGetValue(id, out var name))
            {
                found[id] = name;
            }
            else
            {
                missing.Add(id);
            }
        }

        if (missing.Count == 0)
        {
            return found;
        }

        if (names.Count + missing.Count > MaxEntries)
        {
            names.Clear();
        }

        foreach (var chunk in missing.Chunk(ReadChunk))
        {
            var part = chunk.ToList();
            var rows = await db.Cases.AsNoTracking()
                .Where(c => EF.Parameter(part).Contains(c.Id))
                .Select(c => new { c.Id, c.Crn, c.FirstName, c.MiddleNames, c.LastName })
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                var name = new CaseName(row.Crn.Value, row.MiddleNames is null ? row.FirstName : $"{row.FirstName} {row.MiddleNames}", row.LastName);
                names[row.Id] = name;
                found[row.Id] = name;
            }
        }

        return found;
    }
}

/// <summary>What never changes about a case and the name search ranks by.</summary>
public sealed record CaseName(string Crn, string Forenames, string LastName);
