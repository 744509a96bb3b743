package dev.sextant.query;

import com.linecorp.armeria.common.QueryParams;
import dev.sextant.storage.Ids;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and checks query parameters of the native and Jaeger APIs. Every method throws
 * {@link BadParameterException} naming the parameter and the expected form.
 */
public final class Params {
  /** Most results any endpoint returns in one response. */
  public static final int MAX_LIMIT = 1000;
  /** Widest time window an endpoint accepts. */
  public static final Duration MAX_RANGE = Duration.ofDays(31);

  static final String TIME_FORM = "RFC3339 or unix seconds/ms/ns";
  /**
   * Longest time or duration text accepted; checked before any parsing, so a huge value costs
   * nothing ({@link TimeParams#MAX_LENGTH}).
   */
  static final int MAX_VALUE_LENGTH = TimeParams.MAX_LENGTH;
  // Plain decimals with at most a two-digit exponent: BigDecimal work stays bounded (an exponent
  // like 1e-500000000 once made setScale run for seconds).
  private static final Pattern DECIMAL =
      Pattern.compile("[0-9]+(?:\\.[0-9]*)?(?:[eE][+-]?[0-9]{1,2})?");
  private static final Pattern DURATION_PART =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private Params() {}

  /** A time window {@code [fromUnixNano, toUnixNano)}. */
  public record Window(long fromUnixNano, long toUnixNano) {}

  /**
   * RFC 3339 ({@code 2024-05-01T10:00:00Z}) or a unix timestamp whose unit follows from its
   * magnitude: below 1e11 seconds (fraction allowed), below 1e14 milliseconds, below 1e17
   * microseconds, else nanoseconds. Returns unix nanoseconds.
   */
  public static long time(String name, String value) {
    String v = value.trim();
    if (v.length() > MAX_VALUE_LENGTH) {
      throw new BadParameterException(name, value, TIME_FORM);
    }
    try {
      if (!DECIMAL.matcher(v).matches()) {
        throw new NumberFormatException(); // not a plain number: try RFC 3339
      }
      BigDecimal d = new BigDecimal(v);
      if (d.signum() < 0) {
        throw new BadParameterException(name, value, TIME_FORM);
      }
      int shift;
      if (d.compareTo(BigDecimal.valueOf(100_000_000_000L)) < 0) {
        shift = 9;
      } else if (d.compareTo(BigDecimal.valueOf(100_000_000_000_000L)) < 0) {
        shift = 6;
      } else if (d.compareTo(BigDecimal.valueOf(100_000_000_000_000_000L)) < 0) {
        shift = 3;
      } else {
        shift = 0;
      }
      return d.movePointRight(shift).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      // not a number: try RFC 3339
    }
    try {
      Instant i = OffsetDateTime.parse(v).toInstant();
      return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new BadParameterException(name, value, TIME_FORM);
    }
  }

  /** A Go-style duration such as {@code 100ms}, {@code 1.5s}, {@code 1m30s}; nanoseconds. */
  public static long duration(String name, String value) {
    String v = value.trim();
    if (v.length() > MAX_VALUE_LENGTH) {
      throw new BadParameterException(name, value, "a duration like 100ms, 1.5s, 2m or 1h30m");
    }
    Matcher m = DURATION_PART.matcher(v);
    long total = 0;
    int pos = 0;
    while (m.find() && m.start() == pos) {
      BigDecimal n = new BigDecimal(m.group(1));
      long unit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      try {
        total = Math.addExact(total, n.multiply(BigDecimal.valueOf(unit))
            .setScale(0, RoundingMode.HALF_EVEN).longValueExact());
      } catch (ArithmeticException e) {
        throw new BadParameterException(name, value, "a duration below 292 years");
      }
      pos = m.end();
    }
    if (v.isEmpty() || pos != v.length()) {
      throw new BadParameterException(name, value, "a duration like 100ms, 1.5s, 2m or 1h30m");
    }
    return total;
  }

  /** An integer in {@code [min, max]}, or {@code def} when absent. */
  public static int intIn(String name, String value, int def, int min, int max) {
    if (value == null) {
      return def;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadParameterException(name, value, "an integer " + min + "-" + max);
  }

  /** {@code limit}: 1-{@value #MAX_LIMIT}, {@code def} when absent. */
  public static int limit(String value, int def) {
    return intIn("limit", value, def, 1, MAX_LIMIT);
  }

  public static boolean bool(String name, String value) {
    if (value == null) {
      return false;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "" -> true;
      case "false", "0" -> false;
      default -> throw new BadParameterException(name, value, "true or false");
    };
  }

  /**
   * The window from {@code start}/{@code end}: {@code end} defaults to now, {@code start} to
   * {@code end - defaultRange}; start must not be after end, and the window at most
   * {@link #MAX_RANGE}.
   */
  public static Window window(String start, String end, Duration defaultRange, long nowUnixNano) {
    long to = end == null ? nowUnixNano : time("end", end);
    long from = start == null ? Math.max(0, to - defaultRange.toNanos()) : time("start", start);
    if (from > to) {
      throw new BadParameterException("start", start, "not after end " + to + " ns");
    }
    if (to - from > MAX_RANGE.toNanos()) {
      throw new BadParameterException("end", end == null ? "now" : end,
          "at most " + MAX_RANGE.toDays() + " days after start");
    }
    return new Window(from, to);
  }

  /**
   * Minimum severity: a number 1-24 or an OTLP name (TRACE, DEBUG, INFO, WARN, ERROR, FATAL,
   * optionally suffixed 2-4, any case); 0 when absent.
   */
  public static int severity(String value) {
    if (value == null) {
      return 0;
    }
    String v = value.trim().toUpperCase(Locale.ROOT);
    String expected = "1-24 or TRACE, DEBUG, INFO, WARN, ERROR, FATAL";
    if (!v.isEmpty() && Character.isDigit(v.charAt(0))) {
      return intIn("severity", value, 0, 1, 24);
    }
    int suffix = 0;
    if (!v.isEmpty() && Character.isDigit(v.charAt(v.length() - 1))) {
      suffix = v.charAt(v.length() - 1) - '1';
      v = v.substring(0, v.length() - 1);
      if (suffix < 1 || suffix > 3) {
        throw new BadParameterException("severity", value, expected);
      }
    }
    int base = switch (v) {
      case "TRACE" -> 1;
      case "DEBUG" -> 5;
      case "INFO" -> 9;
      case "WARN", "WARNING" -> 13;
      case "ERROR" -> 17;
      case "FATAL" -> 21;
      default -> throw new BadParameterException("severity", value, expected);
    };
    return base + suffix;
  }

  /** A trace ID by {@link Ids}'s rule (32 hex characters, not all zero), lowercased. */
  public static String traceId(String name, String value) {
    if (!Ids.isValidTraceId(value)) {
      throw new BadParameterException(name, String.valueOf(value), Ids.TRACE_ID_FORM);
    }
    return value.toLowerCase(Locale.ROOT);
  }

  /** A span ID by {@link Ids}'s rule (16 hex characters, not all zero), lowercased. */
  public static String spanId(String name, String value) {
    if (!Ids.isValidSpanId(value)) {
      throw new BadParameterException(name, String.valueOf(value), Ids.SPAN_ID_FORM);
    }
    return value.toLowerCase(Locale.ROOT);
  }

  /**
   * Attribute criteria: every {@code repeated} parameter as {@code key=value}, and every
   * parameter named {@code attr.<key>}.
   */
  public static Map<String, String> attributes(QueryParams q, String repeated) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String kv : q.getAll(repeated)) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new BadParameterException(repeated, kv, "key=value");
      }
      out.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    for (String name : q.names()) {
      if (name.startsWith("attr.") && name.length() > 5) {
        out.put(name.substring(5), q.get(name));
      }
    }
    return out;
  }
}
