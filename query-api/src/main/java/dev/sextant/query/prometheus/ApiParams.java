package dev.sextant.query.prometheus;

import dev.sextant.query.TimeParams;

/** Parses the Prometheus API's time and duration parameters. */
final class ApiParams {
  /** Prometheus's MinTime/MaxTime, used when series/label requests give no bounds. */
  static final long MIN_TIME = TimeParams.MIN_TIME_MS;
  static final long MAX_TIME = TimeParams.MAX_TIME_MS;

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
          + name + "': cannot parse " + TimeParams.quote(value) + " to a valid timestamp");
    }
  }

  /**
   * Unix seconds (fractional allowed) or RFC 3339, by {@link TimeParams#timeMillis}; returns
   * milliseconds.
   */
  static long time(String name, String value) {
    try {
      return TimeParams.timeMillis(value);
    } catch (IllegalArgumentException e) {
      throw new BadDataException("invalid parameter \"" + name + "\": " + e.getMessage());
    }
  }

  /**
   * Seconds (fractional allowed) or a Prometheus duration like {@code 1m30s}, by
   * {@link TimeParams#durationMillis}; milliseconds.
   */
  static long duration(String name, String value) {
    try {
      return TimeParams.durationMillis(value);
    } catch (IllegalArgumentException e) {
      throw new BadDataException("invalid parameter \"" + name + "\": " + e.getMessage());
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
