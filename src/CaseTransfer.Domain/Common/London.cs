using System.Globalization;

namespace CaseTransfer.Domain.Common;

/// <summary>
/// London time, in which working days are counted and deadlines are shown to people. Instants are stored and
/// computed in UTC; London only names days and renders instants, so a deadline of so many hours is that many elapsed
/// hours even across a change to or from British Summer Time.
/// </summary>
public static class London
{
    public static readonly TimeZoneInfo TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    /// <summary>London's date of an instant.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    /// <summary>The instant a London day begins (its midnight, GMT or BST as it falls), in UTC.</summary>
    public static DateTimeOffset StartOf(DateOnly day) =>
        new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), TimeZone), TimeSpan.Zero);

    /// <summary>
    /// The instant as London's clocks show it, with their offset from UTC (<c>2027-03-28T02:30:00+01:00</c>): ISO 8601,
    /// the same instant as its UTC form, with fractions of a second only where it has them.
    /// </summary>
    public static string Render(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, TimeZone).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
}
