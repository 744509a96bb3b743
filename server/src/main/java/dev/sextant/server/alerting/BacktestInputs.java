package dev.sextant.server.alerting;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Parsing shared by the backtest command and API: instants and silence matcher lists. */
public final class BacktestInputs {
  private BacktestInputs() {}

  /**
   * An instant given as RFC 3339 ({@code 2026-11-27T10:00:00Z}) or unix seconds.
   *
   * @throws IllegalArgumentException naming {@code name} and the expected forms
   */
  public static Instant time(String name, String value) {
    if (value == null) {
      throw new IllegalArgumentException(name + ": missing (expected: RFC 3339 or unix seconds)");
    }
    try {
      return value.matches("\\d+(\\.\\d+)?")
          ? Instant.ofEpochMilli((long) (Double.parseDouble(value) * 1000)) : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + ": '" + value
          + "' (expected: RFC 3339 like 2026-11-27T10:00:00Z, or unix seconds)", e);
    }
  }

  /** Splits {@code a="x",b=~"y"} into matchers, at the commas that start a new label. */
  public static List<String> matchers(String commaSeparated) {
    return List.of(commaSeparated.split(",(?=\\s*[a-zA-Z_]+\\s*(=|!=|=~|!~))"));
  }
}
