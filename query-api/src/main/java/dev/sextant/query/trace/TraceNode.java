package dev.sextant.query.trace;

import dev.sextant.storage.Span;
import java.util.ArrayList;
import java.util.List;

/** A span in an assembled trace tree, with its children ordered by start time. */
public final class TraceNode {
  private final Span span;
  private final List<TraceNode> children = new ArrayList<>();
  private int depth;
  private boolean orphan;

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

  void depth(int depth) {
    this.depth = depth;
  }

  void markOrphan() {
    this.orphan = true;
  }
}
