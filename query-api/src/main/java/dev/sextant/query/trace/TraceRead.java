package dev.sextant.query.trace;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.Span;
import dev.sextant.storage.TraceReader;
import java.util.List;

/**
 * One trace read with a cap on its spans, as every query path reads traces: one client can send
 * a trace of millions of spans, and reading it whole would exhaust the heap. The store stops
 * reading one span past the cap, so a read holds at most {@code maxSpans + 1} spans.
 *
 * @param spans at most {@code maxSpans} spans of the trace (which ones, when it was cut, is
 *     unspecified); empty when the trace is unknown
 * @param truncated whether the trace has more spans than {@code maxSpans}
 * @param maxSpans the cap the read used
 */
public record TraceRead(List<Span> spans, boolean truncated, int maxSpans) {
  /** The default cap (Tempo's former {@code max_spans_per_trace} was 50,000). */
  public static final int DEFAULT_MAX_SPANS = 100_000;

  /**
   * Reads at most {@code maxSpans} spans of {@code traceId}.
   *
   * @throws IllegalArgumentException when {@code traceId} is not 32 hex characters
   */
  public static TraceRead of(TraceReader reader, String traceId, int maxSpans) {
    requireNonNull(reader, "reader");
    checkMaxSpans("maxSpans", maxSpans);
    List<Span> spans = reader.getTrace(traceId, maxSpans + 1);
    return spans.size() > maxSpans
        ? new TraceRead(spans.subList(0, maxSpans), true, maxSpans)
        : new TraceRead(spans, false, maxSpans);
  }

  /** Returns {@code maxSpans} if it is a valid cap (1 to 10,000,000); fails naming {@code name}. */
  public static int checkMaxSpans(String name, int maxSpans) {
    if (maxSpans < 1 || maxSpans > 10_000_000) {
      throw new IllegalArgumentException(name + ": " + maxSpans + " (expected: 1-10000000)");
    }
    return maxSpans;
  }

  /** The warning a cut trace carries, for people reading it. */
  public String warning() {
    return "trace truncated at " + maxSpans + " spans (the read limit); more are stored";
  }
}
