package dev.sextant.query.compare;

import static java.util.Objects.requireNonNull;

import dev.sextant.query.Durations;
import dev.sextant.storage.Span;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.TraceQueryBuilder;
import java.time.Duration;
import java.util.List;

/**
 * Which traces are "the bad ones": those with a span of the compared service and operation (any,
 * when not given) that failed ({@code error}), that lasted longer than a threshold
 * ({@code duration>500ms}), or every trace through them ({@code all}, compared with the traces
 * that do not pass through them).
 *
 * @param kind the condition
 * @param thresholdNanos for {@link Kind#DURATION}: a span must last strictly longer; else 0
 */
public record Selection(Kind kind, long thresholdNanos) {
  /** The condition on a span. */
  public enum Kind {
    ERROR,
    DURATION,
    ALL
  }

  static final String FORM = "error, duration>DURATION (e.g. duration>500ms) or all";

  public Selection {
    requireNonNull(kind, "kind");
    if (thresholdNanos < 0 || (kind != Kind.DURATION && thresholdNanos != 0)) {
      throw new IllegalArgumentException("thresholdNanos: " + thresholdNanos
          + " (expected: >= 0, and 0 unless kind is DURATION)");
    }
  }

  public static Selection errors() {
    return new Selection(Kind.ERROR, 0);
  }

  public static Selection slowerThan(Duration threshold) {
    return new Selection(Kind.DURATION, threshold.toNanos());
  }

  public static Selection all() {
    return new Selection(Kind.ALL, 0);
  }

  /**
   * Parses {@code error}, {@code duration>D} (a duration by {@link Durations}' rules) or
   * {@code all}.
   *
   * @throws IllegalArgumentException naming {@code selection}, the value and the expected form
   */
  public static Selection parse(String text) {
    requireNonNull(text, "text");
    String t = text.trim();
    if (t.equals("error")) {
      return errors();
    }
    if (t.equals("all")) {
      return all();
    }
    if (t.startsWith("duration>") && Durations.isValid(t.substring(9))) {
      return slowerThan(Durations.parse(t.substring(9)));
    }
    String shown = t.length() > 64 ? t.substring(0, 64) + "..." : t;
    throw new IllegalArgumentException("selection: '" + shown + "' (expected: " + FORM + ")");
  }

  /** The text {@link #parse} reads back. */
  @Override
  public String toString() {
    return switch (kind) {
      case ERROR -> "error";
      case ALL -> "all";
      case DURATION -> "duration>" + Durations.format(Duration.ofNanos(thresholdNanos));
    };
  }

  /** How the answer names the selected traces, e.g. "failing traces". */
  String noun(String service, String operation) {
    String where = operation.isEmpty() ? service : (service + " " + operation).trim();
    return switch (kind) {
      case ERROR -> "failing traces";
      case DURATION -> "traces slower than "
          + Durations.format(Duration.ofNanos(thresholdNanos));
      case ALL -> "traces through " + where;
    };
  }

  /** Adds the span criteria of the selection to a search for the population. */
  void criteria(TraceQueryBuilder b) {
    if (kind == Kind.ERROR) {
      b.errorsOnly(true);
    } else if (kind == Kind.DURATION) {
      b.minDuration(Duration.ofNanos(thresholdNanos + 1));
    }
  }

  /** Whether one span of the trace meets the condition (and the service and operation). */
  boolean matches(List<Span> trace, String service, String operation) {
    for (Span s : trace) {
      if ((service.isEmpty() || s.serviceName().equals(service))
          && (operation.isEmpty() || s.name().equals(operation))
          && switch (kind) {
            case ERROR -> s.statusCode() == StatusCode.ERROR;
            case DURATION -> s.durationNanos() > thresholdNanos;
            case ALL -> true;
          }) {
        return true;
      }
    }
    return false;
  }
}
