package dev.sextant.alert.internal.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.alert.internal.notify.TimeInterval.Range;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeIntervalTest {
  static TimeInterval of(List<Range> times, List<Range> weekdays, List<Range> days,
      List<Range> months, List<Range> years, ZoneId zone) {
    return new TimeInterval(times, weekdays, days, months, years, zone);
  }

  @Test
  void contains_timesAreStartInclusiveEndExclusive() {
    TimeInterval t = of(List.of(new Range(9 * 60, 17 * 60)), List.of(), List.of(), List.of(),
        List.of(), ZoneOffset.UTC);
    assertThat(t.contains(Instant.parse("2026-03-02T09:00:00Z"))).isTrue();
    assertThat(t.contains(Instant.parse("2026-03-02T16:59:59Z"))).isTrue();
    assertThat(t.contains(Instant.parse("2026-03-02T17:00:00Z"))).isFalse();
    assertThat(t.contains(Instant.parse("2026-03-02T08:59:59Z"))).isFalse();
  }

  @Test
  void contains_negativeDaysOfMonthCountFromTheEnd() {
    // The last three days of the month: 26-28 in February 2026, 29-31 in March.
    TimeInterval t = of(List.of(), List.of(), List.of(new Range(-3, -1)), List.of(), List.of(),
        ZoneOffset.UTC);
    assertThat(t.contains(Instant.parse("2026-02-26T12:00:00Z"))).isTrue();
    assertThat(t.contains(Instant.parse("2026-02-25T12:00:00Z"))).isFalse();
    assertThat(t.contains(Instant.parse("2026-03-28T12:00:00Z"))).isFalse();
    assertThat(t.contains(Instant.parse("2026-03-31T12:00:00Z"))).isTrue();
    // 31 in a 30-day month is no day of it; 25:31 clamps to the month's end.
    TimeInterval d31 = of(List.of(), List.of(), List.of(new Range(31, 31), new Range(25, 31)),
        List.of(), List.of(), ZoneOffset.UTC);
    assertThat(d31.contains(Instant.parse("2026-04-30T12:00:00Z"))).isTrue();
    assertThat(d31.contains(Instant.parse("2026-04-24T12:00:00Z"))).isFalse();
  }

  @Test
  void contains_weekdaysMonthsYearsInTheirLocation() {
    // Monday to Friday in December 2026, in Tokyo (UTC+9).
    TimeInterval t = of(List.of(), List.of(new Range(1, 5)), List.of(), List.of(new Range(12, 12)),
        List.of(new Range(2026, 2026)), ZoneId.of("Asia/Tokyo"));
    // Friday 2026-12-04 20:00 UTC is Saturday 05:00 in Tokyo.
    assertThat(t.contains(Instant.parse("2026-12-04T20:00:00Z"))).isFalse();
    // Sunday 2026-12-06 20:00 UTC is Monday in Tokyo.
    assertThat(t.contains(Instant.parse("2026-12-06T20:00:00Z"))).isTrue();
    assertThat(t.contains(Instant.parse("2027-12-06T20:00:00Z"))).isFalse();
    // 2026-11-29 20:00 UTC is Monday 30 November in Tokyo: not December.
    assertThat(t.contains(Instant.parse("2026-11-29T20:00:00Z"))).isFalse();
  }

  @Test
  void anyContains_emptyListMeansNever() {
    assertThat(TimeInterval.anyContains(List.of(), Instant.EPOCH)).isFalse();
    TimeInterval always = of(List.of(), List.of(), List.of(), List.of(), List.of(), ZoneOffset.UTC);
    assertThat(TimeInterval.anyContains(List.of(always), Instant.EPOCH)).isTrue();
  }
}
