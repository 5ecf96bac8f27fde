using PublicHoliday;

namespace CaseTransfer.Domain.Common;

/// <summary>
/// Working days in England and Wales: Monday to Friday except bank holidays (the PublicHoliday calendar, which knows
/// the moved and one-off ones). Days are London days, so a deadline is the same whether it is read in GMT or BST.
/// Shared by every deadline counted in working days (an allocation's, a standard escalation's).
/// </summary>
public static class WorkingDays
{
    private static readonly UKBankHoliday EnglandAndWales = new(UKBankHoliday.UkCountries.England);

    public static bool IsWorkingDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)
        && !EnglandAndWales.IsPublicHoliday(day.ToDateTime(TimeOnly.MinValue));

    /// <summary>The <paramref name="count"/>th working day after <paramref name="day"/> (which itself never counts).</summary>
    public static DateOnly AddWorkingDays(DateOnly day, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var current = day;
        for (var counted = 0; counted < count;)
        {
            current = current.AddDays(1);
            if (IsWorkingDay(current))
            {
                counted++;
            }
        }

        return current;
    }

    /// <summary>
    /// When something sent at <paramref name="sentAt"/> must be decided by: the end of the <paramref name="count"/>th
    /// working day after the London day it was sent, that is the following London midnight, as a UTC instant. Sent on
    /// a Friday evening or a bank holiday, the day it was sent does not count; neither does any weekend or bank holiday.
    /// </summary>
    public static DateTimeOffset DueBy(DateTimeOffset sentAt, int count) =>
        London.StartOf(AddWorkingDays(LondonDate(sentAt), count).AddDays(1));

    /// <summary>London's date of an instant: the day a deadline counts from.</summary>
    public static DateOnly LondonDate(DateTimeOffset instant) => London.DateOf(instant);
}
