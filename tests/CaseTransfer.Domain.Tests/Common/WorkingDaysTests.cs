using CaseTransfer.Domain.Common;

namespace CaseTransfer.Domain.Tests.Common;

/// <summary>A provider's deadline: the end of the Nth working day after the London day an allocation was sent.</summary>
public class WorkingDaysTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Five_working_days_from_a_Friday_skip_the_weekend_and_end_at_midnight_the_next_Friday() =>
        Assert.Equal(Utc(2026, 12, 5), WorkingDays.DueBy(Utc(2026, 11, 27, 10), 5));

    [Fact]
    public void Christmas_Day_the_substitute_Boxing_Day_and_New_Years_Day_do_not_count()
    {
        // 2026: Christmas is a Friday, Boxing Day a Saturday (its bank holiday moves to Monday 28th), New Year's Day a Friday.
        Assert.False(WorkingDays.IsWorkingDay(new DateOnly(2026, 12, 25)));
        Assert.False(WorkingDays.IsWorkingDay(new DateOnly(2026, 12, 28)));
        Assert.False(WorkingDays.IsWorkingDay(new DateOnly(2027, 1, 1)));
        Assert.True(WorkingDays.IsWorkingDay(new DateOnly(2026, 12, 24)));

        // Thu 24, Tue 29, Wed 30, Thu 31, Mon 4 January.
        Assert.Equal(Utc(2027, 1, 5), WorkingDays.DueBy(Utc(2026, 12, 23, 15), 5));
    }

    [Fact]
    public void Good_Friday_and_Easter_Monday_do_not_count()
    {
        // Easter 2026 is 5 April. Sent Thursday 2 April; Tue 7 to Mon 13 are the five days; London is on BST.
        Assert.False(WorkingDays.IsWorkingDay(new DateOnly(2026, 4, 3)));
        Assert.False(WorkingDays.IsWorkingDay(new DateOnly(2026, 4, 6)));
        Assert.Equal(Utc(2026, 4, 13, 23), WorkingDays.DueBy(Utc(2026, 4, 2, 9), 5));
    }

    [Fact]
    public void The_early_May_bank_holiday_does_not_count()
    {
        // Monday 4 May 2026. Sent Thursday 30 April: Fri 1, Tue 5, Wed 6, Thu 7, Fri 8.
        Assert.False(WorkingDays.IsWorkingDay(new DateOnly(2026, 5, 4)));
        Assert.Equal(Utc(2026, 5, 8, 23), WorkingDays.DueBy(Utc(2026, 4, 30, 11), 5));
    }

    [Fact]
    public void A_deadline_across_the_spring_clock_change_ends_at_London_midnight_in_summer_time()
    {
        // Clocks go forward on Sunday 29 March 2026. Sent Friday evening in GMT; due at the end of Monday, in BST.
        Assert.Equal(Utc(2026, 3, 30, 23), WorkingDays.DueBy(Utc(2026, 3, 27, 23, 30), 1));
    }

    [Fact]
    public void The_day_it_was_sent_is_the_London_day_not_the_UTC_day()
    {
        // 23:30 UTC on Thursday 22 October 2026 is 00:30 BST on Friday in London, so Friday is the day it was sent and
        // the first working day after it is Monday 26th; the clocks went back on Sunday, so that day ends at midnight GMT.
        Assert.Equal(new DateOnly(2026, 10, 23), WorkingDays.LondonDate(Utc(2026, 10, 22, 23, 30)));
        Assert.Equal(Utc(2026, 10, 27), WorkingDays.DueBy(Utc(2026, 10, 22, 23, 30), 1));

        // An hour earlier it is still Thursday in London: Friday is the working day, ending at midnight BST.
        Assert.Equal(Utc(2026, 10, 23, 23), WorkingDays.DueBy(Utc(2026, 10, 22, 22, 30), 1));
    }

    [Fact]
    public void Sent_on_a_bank_holiday_the_count_starts_with_the_next_working_day() =>
        Assert.Equal(Utc(2026, 5, 5, 23), WorkingDays.DueBy(Utc(2026, 5, 4, 9), 1));

    [Fact]
    public void A_deadline_needs_at_least_one_working_day() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkingDays.DueBy(Utc(2026, 11, 27), 0));

    [Fact]
    public void London_renders_an_instant_with_the_offset_its_clocks_show()
    {
        Assert.Equal("2027-03-28T00:30:00+00:00", London.Render(Utc(2027, 3, 28, 0, 30)));
        Assert.Equal("2027-03-28T02:30:00+01:00", London.Render(Utc(2027, 3, 28, 1, 30)));
        Assert.Equal("2027-03-28T02:30:00.25+01:00", London.Render(Utc(2027, 3, 28, 1, 30).AddMilliseconds(250)));
    }
}
