package dev.sextant.query.prometheus;

import dev.sextant.query.promql.parser.Durations;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Parses the Prometheus API's time and duration parameters. */
final class ApiParams {
  /** Prometheus's MinTime/MaxTime, used when series/label requests give no bounds. */
  static final long MIN_TIME = -9_223_309_901_257_974L;
  static final long MAX_TIME = 9_223_309_901_257_974L;

  private ApiParams() {}

  /**
   * An optional time parameter ({@code time}, series/labels {@code start}/{@code end}): errors
   * read as Prometheus's parseTimeParam words them, {@code invalid time value for 'time': ...}.
   */
  static long timeParam(String name, String value) {
    try {
      return time(name, value);
    } catch (BadDataException e) {
      throw new BadDataException("invalid parameter \"" + name + "\": invalid time value for '"
          + name + "': cannot parse \"" + value + "\" to a valid timestamp");
    }
  }

  /** Unix seconds (fractional allowed) or RFC 3339; returns milliseconds. */
  static long time(String name, String value) {
    try {
      BigDecimal secs = new BigDecimal(value);
      return secs.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      // fall through to RFC 3339
    }
    try {
      return OffsetDateTime.parse(value).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new BadDataException("invalid parameter \"" + name + "\": cannot parse \"" + value
          + "\" to a valid timestamp");
    }
  }

  /** Seconds (fractional allowed) or a Prometheus duration like {@code 1m30s}; milliseconds. */
  static long duration(String name, String value) {
    try {
      double d = Double.parseDouble(value);
      if (Double.isNaN(d) || Double.isInfinite(d) || Math.abs(d) > 9.2e15) {
        throw new BadDataException("invalid parameter \"" + name + "\": cannot parse \"" + value
            + "\" to a valid duration. It overflows int64");
      }
      return Math.round(d * 1000);
    } catch (NumberFormatException e) {
      long ms = Durations.parse(value);
      if (ms < 0) {
        throw new BadDataException("invalid parameter \"" + name + "\": cannot parse \"" + value
            + "\" to a valid duration");
      }
      return ms;
    }
  }

  /** A request parameter problem (HTTP 400, errorType bad_data). */
  static final class BadDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadDataException(String message) {
      super(message);
    }
  }
}
