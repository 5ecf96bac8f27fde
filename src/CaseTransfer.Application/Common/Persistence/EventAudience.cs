using CaseTransfer.Application.Cases;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Common.Persistence;

/// <summary>
/// Who may hear of an event, fixed when it is stored: the organisations that see its case at that moment (the holder
/// after the change, the recipients of live shares to a whole organisation, those with a grant in force) and those the
/// event concerns by its nature (<see cref="IDomainEvent.Parties"/>: the provider an allocation is proposed to, the
/// organisation a case left), each with the organisation above it (the NPS above a region). An organisation's own
/// alert is heard by it alone. Webhooks and the events feed deliver an event only to its audience, so a case
/// transferred away stops reaching its old holder at the instant of the transfer.
/// </summary>
public sealed class EventAudience(IAppDbContext db, OrganisationDirectory directory, TimeProvider clock)
{
    /// <summary>The audience of each of <paramref name="events"/>, staged in the current unit of work (its changes not yet saved).</summary>
    public async Task<Func<IDomainEvent, string?>> ForAsync(IReadOnlyCollection<IDomainEvent> events, CancellationToken cancellationToken)
    {
        var crns = events.Where(e => !e.PartiesOnly && e.Crn is not null).Select(e => e.Crn!).Distinct().ToList();
        var seeing = crns.ToDictionary(c => c, _ => new List<string>());
        if (crns.Count > 0)
        {
            // One read of who sees each case now: its holder, the recipients of its live whole-organisation shares and
            // those with a grant in force. A case this unit of work changes or opens is tracked, and its holder after
            // the change is the tracked one (the read shows the holder before it, or no row for a case being opened).
            var ids = crns.Select(Crn.Parse).ToList();
            var tracked = db.ChangeTracker.Entries<Case>().Where(e => ids.Contains(e.Entity.Crn)).ToDictionary(e => e.Entity.Crn.Value, e => e.Entity.HolderOrganisationCode);
            var now = clock.GetUtcNow();
            var read = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Crn))
                .Select(c => new
                {
                    c.Crn,
                    c.HolderOrganisationCode,
                    Shared = db.Shares.Where(s => s.CaseId == c.Id && s.RevokedAt == null && s.ExpiresAt > now && !s.NamesPeople)
                        .Select(s => s.RecipientOrganisationCode).ToList(),
                    Granted = db.CaseAccessGrants.Where(g => g.CaseId == c.Id && g.From <= now && g.Until > now).Select(g => g.OrganisationCode).ToList(),
                })
                .ToListAsync(cancellationToken);
            foreach (var row in read)
            {
                seeing[row.Crn.Value].AddRange([tracked.GetValueOrDefault(row.Crn.Value, row.HolderOrganisationCode), .. row.Shared, .. row.Granted]);
            }

            foreach (var (crn, holder) in tracked.Where(t => read.All(r => r.Crn.Value != t.Key)))
            {
                seeing[crn].Add(holder);
            }
        }

        var parents = await ParentsAsync(cancellationToken);
        return e => e.Crn is null ? null
            : e.PartiesOnly ? Format(e.Parties)
            : Format(WithParents([.. e.Parties, .. seeing[e.Crn]], parents));
    }

    /// <summary>The audience of events that concern <paramref name="organisations"/> (a bulk transfer's from and to), with the organisations above them.</summary>
    public async Task<string> OfAsync(IEnumerable<string> organisations, CancellationToken cancellationToken) =>
        Format(WithParents(organisations, await ParentsAsync(cancellationToken)));

    /// <summary>The audience as stored: sorted, each code between bars, so a filter looks for <c>|CODE|</c>.</summary>
    public static string Format(IEnumerable<string> codes) => "|" + string.Join('|', codes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)) + "|";

    /// <summary>What an audience filter looks for: the organisation's code between bars.</summary>
    public static string Marker(string organisationCode) => "|" + organisationCode + "|";

    private static IEnumerable<string> WithParents(IEnumerable<string> codes, IReadOnlyDictionary<string, string?> parents) =>
        codes.SelectMany(c => parents.GetValueOrDefault(c) is { } parent ? new[] { c, parent } : [c]);

    private async Task<IReadOnlyDictionary<string, string?>> ParentsAsync(CancellationToken cancellationToken)
    {
        var organisations = directory.Current;
        if (organisations is null)
        {
            organisations = await db.Organisations.AsNoTracking().ToListAsync(cancellationToken);
            directory.Keep(organisations);
        }

        return organisations.ToDictionary(o => o.Code, o => o.ParentCode);
    }
}
