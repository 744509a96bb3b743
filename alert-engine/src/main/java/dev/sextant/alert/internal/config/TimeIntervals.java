package dev.sextant.alert.internal.config;

import static dev.sextant.alert.internal.config.Yamls.keys;
import static dev.sextant.alert.internal.config.Yamls.list;
import static dev.sextant.alert.internal.config.Yamls.map;
import static dev.sextant.alert.internal.config.Yamls.str;

import dev.sextant.alert.internal.notify.TimeInterval;
import dev.sextant.alert.internal.notify.TimeInterval.Range;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Alertmanager's time-interval syntax: named intervals ({@code time_intervals} and the older
 * top-level {@code mute_time_intervals}), each a list of {@code times}, {@code weekdays},
 * {@code days_of_month}, {@code months}, {@code years} and {@code location}.
 */
final class TimeIntervals {
  private static final List<String> NAMED_KEYS = List.of("name", "time_intervals");
  private static final List<String> KEYS =
      List.of("times", "weekdays", "days_of_month", "months", "years", "location");
  private static final Pattern HH_MM = Pattern.compile("(([01][0-9]|2[0-3]):[0-5][0-9])|24:00");
  private static final List<String> WEEKDAYS = List.of("sunday", "monday", "tuesday",
      "wednesday", "thursday", "friday", "saturday");
  private static final List<String> MONTHS = List.of("january", "february", "march", "april",
      "may", "june", "july", "august", "september", "october", "november", "december");

  private TimeIntervals() {}

  /** Reads the named intervals of {@code section} (a list) into {@code into}. */
  static void named(Object section, String where, Map<String, List<TimeInterval>> into) {
    int i = 0;
    for (Object o : list(section, where)) {
      String w = where + "[" + i++ + "]";
      Map<?, ?> m = map(o, w);
      keys(m, w, NAMED_KEYS);
      String name = str(m.get("name"), w + ".name");
      if (into.containsKey(name)) {
        throw new IllegalArgumentException(w + ".name: " + name + " is defined twice");
      }
      List<TimeInterval> intervals = new ArrayList<>();
      int j = 0;
      for (Object t : list(m.get("time_intervals"), w + ".time_intervals")) {
        String tw = w + ".time_intervals[" + j++ + "]";
        intervals.add(interval(map(t, tw), tw));
      }
      into.put(name, intervals);
    }
  }

  static TimeInterval interval(Map<?, ?> m, String where) {
    keys(m, where, KEYS);
    List<Range> times = new ArrayList<>();
    int i = 0;
    for (Object o : list(m.get("times"), where + ".times")) {
      String w = where + ".times[" + i++ + "]";
      Map<?, ?> t = map(o, w);
      keys(t, w, List.of("start_time", "end_time"));
      int start = minutes(t.get("start_time"), w + ".start_time");
      int end = minutes(t.get("end_time"), w + ".end_time");
      if (start >= end) {
        throw new IllegalArgumentException(w + ".end_time: " + t.get("end_time")
            + " (expected: after start_time " + t.get("start_time") + ")");
      }
      times.add(new Range(start, end));
    }
    List<Range> weekdays = ranges(m.get("weekdays"), where + ".weekdays", 0, 6, WEEKDAYS, 0);
    List<Range> months = ranges(m.get("months"), where + ".months", 1, 12, MONTHS, 1);
    List<Range> years = ranges(m.get("years"), where + ".years", 1, 9999, List.of(), 0);
    List<Range> days = daysOfMonth(m.get("days_of_month"), where + ".days_of_month");
    return new TimeInterval(times, weekdays, days, months, years,
        location(m.get("location"), where + ".location"));
  }

  private static int minutes(Object o, String where) {
    if (o instanceof Integer n && n >= 0 && n <= 24 * 60) {
      // A YAML 1.1 reader takes an unquoted 17:00 for the base-60 number 1020.
      o = String.format(Locale.ROOT, "%02d:%02d", n / 60, n % 60);
    }
    String s = str(o, where);
    if (!HH_MM.matcher(s).matches()) {
      throw new IllegalArgumentException(where + ": " + s + " (expected: HH:MM, 00:00 to 24:00)");
    }
    return Integer.parseInt(s.substring(0, 2)) * 60 + Integer.parseInt(s.substring(3));
  }

  /** Values or {@code a:b} ranges, as numbers or (for weekdays, months) names. */
  private static List<Range> ranges(Object o, String where, int min, int max, List<String> names,
      int firstName) {
    List<Range> out = new ArrayList<>();
    int i = 0;
    for (String s : Yamls.strings(list(o, where))) {
      String w = where + "[" + i++ + "]";
      String[] parts = s.split(":", -1);
      if (parts.length > 2) {
        throw new IllegalArgumentException(w + ": " + s + " (expected: a value or start:end)");
      }
      int start = value(parts[0], w, min, max, names, firstName);
      int end = parts.length == 2 ? value(parts[1], w, min, max, names, firstName) : start;
      if (start > end) {
        throw new IllegalArgumentException(w + ": " + s + " (expected: start before end)");
      }
      out.add(new Range(start, end));
    }
    return out;
  }

  private static int value(String s, String where, int min, int max, List<String> names,
      int firstName) {
    // Alertmanager takes weekdays by name only; months by name or number.
    boolean weekdays = firstName == 0 && !names.isEmpty();
    String v = s.strip().toLowerCase(Locale.ROOT);
    int idx = names.indexOf(v);
    if (idx >= 0) {
      return idx + firstName;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max && !weekdays) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    String expected = names.isEmpty() ? min + " to " + max
        : weekdays ? "a weekday name" : "a month name or " + min + " to " + max;
    throw new IllegalArgumentException(where + ": " + s + " (expected: " + expected + ")");
  }

  private static List<Range> daysOfMonth(Object o, String where) {
    List<Range> out = new ArrayList<>();
    int i = 0;
    for (String s : Yamls.strings(list(o, where))) {
      String w = where + "[" + i++ + "]";
      String[] parts = s.split(":", -1);
      try {
        int start = Integer.parseInt(parts[0].strip());
        int end = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : start;
        boolean ok = parts.length <= 2 && start != 0 && end != 0 && Math.abs(start) <= 31
            && Math.abs(end) <= 31 && !(start < 0 && end > 0)
            && !(Integer.signum(start) == Integer.signum(end) && start > end);
        if (ok) {
          out.add(new Range(start, end));
          continue;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(w + ": " + s + " (expected: a day 1 to 31 or -31 to -1,"
          + " or start:end with start before end)");
    }
    return out;
  }

  private static ZoneId location(Object o, String where) {
    if (o == null) {
      return ZoneOffset.UTC;
    }
    String s = String.valueOf(o);
    if (s.equals("Local")) {
      return ZoneId.systemDefault();
    }
    try {
      return ZoneId.of(s);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(where + ": " + s
          + " (expected: an IANA time zone such as Europe/Berlin, or UTC, or Local)", e);
    }
  }

  /** The intervals a route names, each of which must be defined. */
  static List<TimeInterval> resolve(Object names, String where,
      Map<String, List<TimeInterval>> defined) {
    List<TimeInterval> out = new ArrayList<>();
    int i = 0;
    for (String n : Yamls.strings(list(names, where))) {
      List<TimeInterval> t = defined.get(n);
      if (t == null) {
        throw new IllegalArgumentException(where + "[" + i + "]: " + n
            + " (expected: one of the time_intervals " + defined.keySet() + ")");
      }
      out.addAll(t);
      i++;
    }
    return out;
  }

  static Map<String, List<TimeInterval>> newMap() {
    return new LinkedHashMap<>();
  }
}
