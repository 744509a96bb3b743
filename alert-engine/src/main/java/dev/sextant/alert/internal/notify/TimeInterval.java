package dev.sextant.alert.internal.notify;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * One entry of an Alertmanager time interval ({@code time_intervals[].time_intervals[]}): an
 * instant is inside when every field that is set contains it (an empty list means any). Ranges
 * are inclusive except {@code times}, whose end minute is exclusive. As in Alertmanager, a
 * negative day of month counts from the month's end ({@code -1} is the last day) and a range
 * reaching past the month's end is clamped to it.
 *
 * @param times minutes of the day, {@code [start, end)} with 0 ≤ start &lt; end ≤ 1440
 * @param weekdays 0 (Sunday) to 6 (Saturday)
 * @param daysOfMonth 1 to 31 or -31 to -1
 * @param months 1 (January) to 12
 * @param years e.g. {@code [2024, 2026]}
 * @param location the zone the fields are read in (UTC by default)
 */
public record TimeInterval(List<Range> times, List<Range> weekdays, List<Range> daysOfMonth,
    List<Range> months, List<Range> years, ZoneId location) {

  /** A range of integers, {@code start} to {@code end}. */
  public record Range(int start, int end) {}

  public TimeInterval {
    times = List.copyOf(times);
    weekdays = List.copyOf(weekdays);
    daysOfMonth = List.copyOf(daysOfMonth);
    months = List.copyOf(months);
    years = List.copyOf(years);
    requireNonNull(location, "location");
  }

  /** Whether {@code t} is inside this interval. */
  public boolean contains(Instant t) {
    ZonedDateTime z = t.atZone(location);
    if (!times.isEmpty()) {
      int minute = z.getHour() * 60 + z.getMinute();
      if (times.stream().noneMatch(r -> minute >= r.start() && minute < r.end())) {
        return false;
      }
    }
    if (!daysOfMonth.isEmpty() && !dayOfMonth(z)) {
      return false;
    }
    int weekday = z.getDayOfWeek().getValue() % 7; // Java: Monday 1 .. Sunday 7; Go: Sunday 0
    return inAny(weekdays, weekday) && inAny(months, z.getMonthValue())
        && inAny(years, z.getYear());
  }

  private boolean dayOfMonth(ZonedDateTime z) {
    int days = z.toLocalDate().lengthOfMonth();
    int day = z.getDayOfMonth();
    for (Range r : daysOfMonth) {
      int begin = r.start() < 0 ? days + r.start() + 1 : r.start();
      int end = r.end() < 0 ? days + r.end() + 1 : r.end();
      if (begin > days) {
        continue; // e.g. 31 in a 30-day month: no day of this month
      }
      end = Math.min(end, days);
      if (day >= begin && day <= end) {
        return true;
      }
    }
    return false;
  }

  private static boolean inAny(List<Range> ranges, int v) {
    if (ranges.isEmpty()) {
      return true;
    }
    for (Range r : ranges) {
      if (v >= r.start() && v <= r.end()) {
        return true;
      }
    }
    return false;
  }

  /** Whether any of {@code intervals} contains {@code t}. */
  public static boolean anyContains(List<TimeInterval> intervals, Instant t) {
    for (TimeInterval i : intervals) {
      if (i.contains(t)) {
        return true;
      }
    }
    return false;
  }
}
