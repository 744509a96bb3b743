package dev.sextant.storage;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A trace found by {@link SpanSearch}, summarised over all of its indexed spans (not only those that
 * matched). The root is the span without a parent (the earliest if several); when the trace has no
 * such span (its root has not arrived), the earliest span stands in.
 *
 * @param startUnixNano earliest span start
 * @param durationNanos latest span end minus earliest span start
 * @param errorCount spans with status {@link StatusCode#ERROR}
 * @param services distinct service names, sorted
 */
public record TraceSummary(
    String traceId,
    String rootServiceName,
    String rootSpanName,
    long startUnixNano,
    long durationNanos,
    int spanCount,
    int errorCount,
    List<String> services) {

  public TraceSummary {
    requireNonNull(traceId, "traceId");
    requireNonNull(rootServiceName, "rootServiceName");
    requireNonNull(rootSpanName, "rootSpanName");
    services = List.copyOf(requireNonNull(services, "services"));
  }
}
