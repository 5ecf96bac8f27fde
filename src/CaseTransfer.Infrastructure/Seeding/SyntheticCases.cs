using Bogus;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;

namespace CaseTransfer.Infrastructure.Seeding;

/// <summary>
/// Synthetic people on probation with realistic British names (<see cref="BritishNames"/>; Bogus for the rest), valid identifiers (PNC IDs with
/// correct check letters), risk profiles, orders and key dates. Deterministic for a given seed and index, so the
/// same command builds the same population on every engine.
/// </summary>
public static class SyntheticCases
{
    private static readonly RequirementType[] CommunityRequirements =
        [RequirementType.Supervision, RequirementType.UnpaidWork, RequirementType.AccreditedProgramme, RequirementType.RehabilitationActivity, RequirementType.Curfew, RequirementType.DrugRehabilitation];

    [ThreadStatic]
    private static Faker? _faker;

    /// <summary>CRNs of seeded cases: a letter from A to W by the million, then six digits. X-Z are left for people.</summary>
    public static Crn CrnFor(int index) => Crn.Parse($"{(char)('A' + (index / 1_000_000))}{index % 1_000_000:D6}");

    /// <summary>
    /// One synthetic case. With <paramref name="tiering"/>, its tier is computed from its assessment as the service
    /// would (<see cref="Case.Tier"/>; the computation itself is for the caller to keep).
    /// </summary>
    public static Case Create(int index, IReadOnlyList<Area> areas, DateTimeOffset now, int seed = 20141, Ruleset? tiering = null)
    {
        // Building a Faker costs milliseconds (locale data); reseeding one per thread keeps each index deterministic.
        var faker = _faker ??= new Faker("en_GB");
        faker.Random = new Randomizer(seed * 7919 + index);
        var forenames = faker.Random.Double() < 0.85 ? BritishNames.MaleForenames : BritishNames.FemaleForenames;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var dob = today.AddDays(-faker.Random.Int(18 * 365, 70 * 365));
        var sentenceDate = today.AddDays(-faker.Random.Int(1, 4 * 365));
        var type = faker.Random.WeightedRandom(
            [SentenceType.CommunityOrder, SentenceType.SuspendedSentenceOrder, SentenceType.DeterminateCustody, SentenceType.ExtendedDeterminate, SentenceType.Life, SentenceType.Ipp],
            [0.45f, 0.25f, 0.24f, 0.03f, 0.02f, 0.01f]);
        Sentence sentence;
        if (type is SentenceType.CommunityOrder or SentenceType.SuspendedSentenceOrder)
        {
            sentence = new Sentence(type, sentenceDate, sentenceDate, sentenceDate.AddMonths(faker.Random.Int(6, 36)), null, null);
        }
        else
        {
            var release = sentenceDate.AddMonths(faker.Random.Int(3, 60));
            DateOnly? licenceEnd = type is SentenceType.Life or SentenceType.Ipp ? null : release.AddMonths(faker.Random.Int(6, 48));
            sentence = new Sentence(type, sentenceDate, sentenceDate, licenceEnd, release, licenceEnd);
        }

        var requirements = sentence.IsCustodial
            ? []
            : faker.PickRandom(CommunityRequirements, faker.Random.Int(1, 3))
                .Select(r => (r, (DateOnly?)sentence.StartDate, (DateOnly?)sentence.StartDate!.Value.AddMonths(faker.Random.Int(3, 12))))
                .ToList();

        var year = faker.Random.Int(1990, today.Year);
        var serial = faker.Random.Int(1, 9_999_999).ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
        var pnc = faker.Random.Double() < 0.9 ? PncId.Parse($"{year}/{serial}{PncId.CheckLetterFor(year.ToString(System.Globalization.CultureInfo.InvariantCulture), serial)}") : (PncId?)null;
        var noms = sentence.IsCustodial ? NomsNumber.Parse($"{faker.Random.Char('A', 'Z')}{faker.Random.Int(0, 9999):D4}{faker.Random.Char('A', 'Z')}{faker.Random.Char('A', 'Z')}") : (NomsNumber?)null;
        var first = BritishNames.Pick(faker, forenames);
        var middle = faker.Random.Double() < 0.4 ? BritishNames.Pick(faker, forenames) : null;

        var @case = Case.Open(
            Guid.CreateVersion7(now),
            CrnFor(index),
            first,
            middle == first ? null : middle,
            BritishNames.PickSurname(faker),
            dob,
            pnc,
            noms,
            areas[faker.Random.Int(0, areas.Count - 1)],
            sentence,
            requirements,
            now);

        var rosh = faker.Random.WeightedRandom([RoshLevel.Low, RoshLevel.Medium, RoshLevel.High, RoshLevel.VeryHigh], [0.35f, 0.45f, 0.17f, 0.03f]);
        var mappa = faker.Random.Double() < 0.08 ? faker.PickRandom(MappaCategory.Category1, MappaCategory.Category2, MappaCategory.Category3) : MappaCategory.None;
        var flags = RiskFlags.None;
        flags |= faker.Random.Double() < 0.3 ? RiskFlags.DomesticAbuse : RiskFlags.None;
        flags |= faker.Random.Double() < 0.15 ? RiskFlags.SafeguardingChildren : RiskFlags.None;
        flags |= faker.Random.Double() < 0.1 ? RiskFlags.VictimContactScheme : RiskFlags.None;
        var assessedOn = sentenceDate.AddDays(faker.Random.Int(0, 30));
        var facts = new RiskFacts(
            assessedOn > today ? today : assessedOn,
            rosh,
            Math.Round(faker.Random.Decimal(0.1m, 12m), 2),
            faker.Random.Int(5, 95),
            mappa,
            mappa == MappaCategory.None ? MappaLevel.None : faker.PickRandom(MappaLevel.Level1, MappaLevel.Level2, MappaLevel.Level3),
            $"{faker.PickRandom('A', 'B', 'C', 'D')}{faker.Random.Int(0, 3)}",
            flags);
        if (tiering is null)
        {
            @case.RecordRiskAssessment(facts, "seed", "NPS", now);
        }
        else
        {
            @case.RecordRiskAssessment(facts, "seed", "NPS", now, null, tiering);
        }

        // Requirements whose start date has passed started on it, but one case in fifty's did not: a demo or bench
        // database then shows a few requirement-not-started alerts, not one for every requirement ever seeded. Decided
        // by the index, not by the generator, so every case generated before this was added keeps its names and facts.
        if (index % 50 != 0)
        {
            foreach (var requirement in @case.Requirements.Where(r => r.StartDate is { } start && start <= today))
            {
                @case.StartRequirement(requirement.Id, requirement.StartDate!.Value, now);
            }
        }

        @case.ClearDomainEvents();
        return @case;
    }
}
