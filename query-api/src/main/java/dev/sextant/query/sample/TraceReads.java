package dev.sextant.query.sample;

import static java.util.Objects.requireNonNull;

import dev.sextant.query.trace.TraceRead;
import dev.sextant.storage.Span;
import dev.sextant.storage.TraceReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Sampled traces read under one span budget: a few huge traces must not exhaust the heap, so the
 * reads stop when {@code maxSpans} spans have been read in all, and a trace read past its share
 * is cut.
 *
 * @param traces the spans of each trace read, in sample order (empty traces are left out)
 * @param truncated whether the budget ran out (a trace was cut or not read)
 */
public record TraceReads(List<List<Span>> traces, boolean truncated) {
  public TraceReads {
    traces = List.copyOf(traces);
  }

  /** Reads the traces of {@code sample} with at most {@code maxSpans} spans in all. */
  public static TraceReads read(TraceReader reader, TraceSample sample, int maxSpans) {
    requireNonNull(reader, "reader");
    requireNonNull(sample, "sample");
    TraceRead.checkMaxSpans("maxSpans", maxSpans);
    List<List<Span>> out = new ArrayList<>(sample.traceIds().size());
    int budget = maxSpans;
    boolean cut = false;
    for (String id : sample.traceIds()) {
      if (budget == 0) {
        cut = true;
        break;
      }
      TraceRead read = TraceRead.of(reader, id, budget);
      if (!read.spans().isEmpty()) {
        out.add(read.spans());
      }
      budget -= read.spans().size();
      cut |= read.truncated();
    }
    return new TraceReads(out, cut);
  }
}
