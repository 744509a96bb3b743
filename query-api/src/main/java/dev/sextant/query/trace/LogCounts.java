package dev.sextant.query.trace;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.LogRecord;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Number of logs linked to each span of a trace, for
 * {@code TraceJson.write(trace, LogCounts.of(reader, traceId))}. Reads at most
 * {@value #MAX_LOGS} logs of the trace (one page); counts are capped there.
 */
public final class LogCounts {
  public static final int MAX_LOGS = LogQuery.MAX_LIMIT;

  private LogCounts() {}

  /** Span ID → number of its logs (0 for a span without logs). */
  public static ToIntFunction<String> of(LogReader reader, String traceId) {
    requireNonNull(reader, "reader");
    requireNonNull(traceId, "traceId");
    LogPage page = reader.search(LogQuery.builder().traceId(traceId).limit(MAX_LOGS).build());
    Map<String, Integer> counts = new HashMap<>();
    for (LogRecord r : page.records()) {
      if (!r.spanId().isEmpty()) {
        counts.merge(r.spanId(), 1, Integer::sum);
      }
    }
    return spanId -> counts.getOrDefault(spanId, 0);
  }
}
