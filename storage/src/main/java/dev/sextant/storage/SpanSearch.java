package dev.sextant.storage;

import java.util.List;

/**
 * Finds traces by span criteria. Spans become searchable shortly after their write is acknowledged
 * (the index is updated after the write is durable), and a search sees every span indexed before it
 * started.
 */
public interface SpanSearch {
  /**
   * Traces with a span matching {@code query}, summarised, in {@link TraceQuery#order()}, at most
   * {@link TraceQuery#limit()}.
   *
   * <p>Which traces make the cut is decided by the matching spans: the traces of the newest
   * (or longest) matching spans are taken, then sorted by their summary. For
   * {@link TraceQuery.Order#DURATION_DESC} this means a trace whose matching span is short but whose
   * whole trace is long may be left out when more than {@code limit} traces match.
   */
  List<TraceSummary> search(TraceQuery query);

  /** Every service name seen in spans, sorted. */
  List<String> services();

  /** Every span name seen for {@code serviceName}, sorted; empty for an unknown service. */
  List<String> spanNames(String serviceName);
}
