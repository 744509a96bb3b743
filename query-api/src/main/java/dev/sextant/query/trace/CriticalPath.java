package dev.sextant.query.trace;

import static java.util.Objects.requireNonNull;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The critical path below any node of an assembled trace, by the same algorithm as the trace's own
 * ({@link TraceNode#criticalNanos()} is the path below the trace's first root): for an operation
 * that is not the root, the path of its own subtree.
 */
public final class CriticalPath {
  private CriticalPath() {}

  /**
   * Each span on the critical path below {@code top} (itself included) with the nanoseconds it
   * holds on it; they add up to {@code top}'s duration when its children end within it. Spans
   * holding no time are left out.
   */
  public static Map<TraceNode, Long> below(TraceNode top) {
    requireNonNull(top, "top");
    Map<TraceNode, Long> out = new IdentityHashMap<>();
    TraceAnalysis.criticalPath(top, (n, nanos) -> {
      if (nanos > 0) {
        out.merge(n, nanos, Long::sum);
      }
    });
    return out;
  }
}
