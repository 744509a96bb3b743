package dev.sextant.query.trace;

import dev.sextant.storage.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * A span in an assembled trace tree, with its children ordered by start time, its start and end
 * after clock-skew adjustment, its self time and its share of the critical path.
 */
public final class TraceNode {
  private final Span span;
  private final List<TraceNode> children = new ArrayList<>();
  TraceNode parent;
  private int depth;
  private boolean orphan;
  long skewNanos;
  long selfNanos;
  long criticalNanos;

  TraceNode(Span span) {
    this.span = span;
  }

  public Span span() {
    return span;
  }

  public List<TraceNode> children() {
    return children;
  }

  /** 0 for a root (or an orphan placed at the top). */
  public int depth() {
    return depth;
  }

  /** True when the span names a parent that was not received; it is kept as a top-level node. */
  public boolean orphan() {
    return orphan;
  }

  /** Start after clock-skew adjustment (unix nanos). */
  public long start() {
    return span.startTimeUnixNano() + skewNanos;
  }

  /** End after clock-skew adjustment (unix nanos). */
  public long end() {
    return span.endTimeUnixNano() + skewNanos;
  }

  /**
   * How far this span was shifted to fit inside its parent across a service boundary (0 when not
   * adjusted), as Jaeger's clock-skew adjuster does.
   */
  public long skewNanos() {
    return skewNanos;
  }

  /** Duration not covered by any child. */
  public long selfNanos() {
    return selfNanos;
  }

  /** Time this span contributes to the trace's critical path (0 when not on it). */
  public long criticalNanos() {
    return criticalNanos;
  }

  void depth(int depth) {
    this.depth = depth;
  }

  void markOrphan() {
    this.orphan = true;
  }
}
