package dev.sextant.query.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ObjLongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Post-assembly analysis, iterative so a 10,000-deep trace does not overflow the stack: clock-skew
 * adjustment, self time, and the critical path (Jaeger's algorithm: from the end of a span, walk
 * back to the child that finished last before that point, recurse into it, then continue before
 * its start; time not covered by such a child is the span's own critical section).
 */
final class TraceAnalysis {
  private static final Comparator<TraceNode> BY_ADJUSTED_START =
      Comparator.comparingLong(TraceNode::start);

  private TraceAnalysis() {}

  static void adjustClockSkew(List<TraceNode> top) {
    ArrayDeque<TraceNode> stack = new ArrayDeque<>(top);
    while (!stack.isEmpty()) {
      TraceNode n = stack.pop();
      for (TraceNode c : n.children()) {
        // Shifts apply to a whole subtree of one service: inherit the parent's, then correct.
        if (c.span().serviceName().equals(n.span().serviceName())) {
          c.skewNanos = n.skewNanos;
        } else {
          long parentDur = n.end() - n.start();
          long childDur = c.span().durationNanos();
          long childStart = c.span().startTimeUnixNano() + n.skewNanos;
          if (childDur <= parentDur
              && (childStart < n.start() || childStart + childDur > n.end())) {
            long latency = (parentDur - childDur) / 2;
            c.skewNanos = n.skewNanos + (n.start() + latency - childStart);
          } else {
            c.skewNanos = n.skewNanos;
          }
        }
        stack.push(c);
      }
    }
  }

  static void selfTimes(List<TraceNode> all) {
    for (TraceNode n : all) {
      long covered = 0;
      long cursor = n.start();
      // Children are sorted by their own start already; only skew can reorder them.
      List<TraceNode> kids = n.children();
      if (!sortedByStart(kids)) {
        kids = new ArrayList<>(kids);
        kids.sort(BY_ADJUSTED_START);
      }
      for (TraceNode c : kids) {
        long s = Math.max(c.start(), cursor);
        long e = Math.min(c.end(), n.end());
        if (e > s) {
          covered += e - s;
          cursor = e;
        }
      }
      n.selfNanos = Math.max(0, (n.end() - n.start()) - covered);
    }
  }

  private static boolean sortedByStart(List<TraceNode> nodes) {
    for (int i = 1; i < nodes.size(); i++) {
      if (nodes.get(i - 1).start() > nodes.get(i).start()) {
        return false;
      }
    }
    return true;
  }

  /** Marks the critical path below {@code root}. */
  static void criticalPath(TraceNode root) {
    // No sink: the walk adds to the nodes itself. Through a lambda the assembly of a
    // 10,000-span trace measured ~15 % slower (docs/benchmarks.md).
    criticalPath(root, null);
  }

  /**
   * Walks the critical path below {@code root}, telling {@code sink} each stretch of a span's own
   * time on it (a span may be told several times); with no sink, adds it to the span's
   * {@code criticalNanos}.
   */
  static void criticalPath(TraceNode root, @Nullable ObjLongConsumer<TraceNode> sink) {
    TraceNode current = root;
    long until = root.end();
    boolean returning = false;
    int guard = 0;
    while (current != null && guard++ < 10_000_000) {
      TraceNode last = lastFinishingChild(current, until, returning);
      if (last != null) {
        long childEnd = Math.min(last.end(), until);
        credit(current, Math.max(0, until - childEnd), sink);
        current = last;
        until = childEnd;
        returning = false;
      } else {
        long from = Math.min(current.start(), until);
        credit(current, Math.max(0, until - from), sink);
        // Back in the parent, continue before this child's start.
        until = from;
        current = current == root ? null : current.parent;
        returning = true;
      }
    }
  }

  private static void credit(TraceNode n, long nanos,
      @Nullable ObjLongConsumer<TraceNode> sink) {
    if (sink == null) {
      n.criticalNanos += nanos;
    } else {
      sink.accept(n, nanos);
    }
  }

  /**
   * The child the span waited on last before {@code until}: on entering a span, any child (its
   * end clipped to the span's); when coming back from a child, only children that ended before
   * that child started, or exactly when it started (Jaeger's rule: overlapping siblings were not
   * waited on; back-to-back calls were, one after the other).
   */
  private static TraceNode lastFinishingChild(TraceNode n, long until, boolean returning) {
    TraceNode best = null;
    long bestEnd = Long.MIN_VALUE;
    for (TraceNode c : n.children()) {
      if (c.start() >= until || c.start() >= n.end()) {
        continue;
      }
      if (returning && c.end() > until) {
        continue;
      }
      long end = Math.min(c.end(), until);
      if (best == null || end > bestEnd) {
        best = c;
        bestEnd = end;
      }
    }
    return best;
  }
}
