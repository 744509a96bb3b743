package dev.sextant.query.trace;

import dev.sextant.storage.Span;
import dev.sextant.storage.StatusCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a tree from parent IDs. Nothing is dropped: a span whose parent is missing becomes an
 * orphan at the top, a duplicate span ID is kept (the later copy under the same parent) and
 * reported, and spans caught in a parent cycle are cut at one point and reported.
 */
public final class TraceAssembler {
  /** By start, then span ID (as one comparator: a chain of two cost a lambda call per key). */
  private static final Comparator<TraceNode> BY_START = (a, b) -> {
    int c = Long.compare(a.span().startTimeUnixNano(), b.span().startTimeUnixNano());
    return c != 0 ? c : a.span().spanId().compareTo(b.span().spanId());
  };

  /** The attribute Zipkin ingest puts on the server half of a joined span. */
  static final String ZIPKIN_SHARED = "zipkin.shared";

  private TraceAssembler() {}

  public static Trace assemble(String traceId, List<Span> spans) {
    List<String> warnings = new ArrayList<>();
    Map<String, TraceNode> byId = new HashMap<>(spans.size() * 2);
    List<TraceNode> nodes = new ArrayList<>(spans.size());
    for (Span s : spans) {
      TraceNode n = new TraceNode(s);
      nodes.add(n);
      if (byId.putIfAbsent(s.spanId(), n) != null) {
        warnings.add("duplicate span ID " + s.spanId());
      }
    }
    Map<String, TraceNode> joinedServers = joinedServerHalves(nodes);
    List<TraceNode> roots = new ArrayList<>();
    List<TraceNode> orphans = new ArrayList<>();
    for (TraceNode n : nodes) {
      String parent = n.span().parentSpanId();
      TraceNode p = parent.isEmpty() ? null : byId.get(parent);
      TraceNode server = parent.isEmpty() ? null : joinedServers.get(parent);
      if (server != null && server != n
          && server.span().serviceName().equals(n.span().serviceName())) {
        p = server;
      }
      if (parent.isEmpty()) {
        roots.add(n);
      } else if (p == null || p == n) {
        n.markOrphan();
        orphans.add(n);
      } else {
        p.children().add(n);
        n.parent = p;
      }
    }
    roots.sort(BY_START);
    orphans.sort(BY_START);
    List<TraceNode> top = new ArrayList<>(roots);
    top.addAll(orphans);
    int[] visited = new int[1];
    int maxDepth = walk(top, nodes.size(), visited);
    // Spans never reached from a top-level node sit on a parent cycle: cut each cycle once. Each
    // span is in at most one child list, so when the walk saw them all there is none.
    Set<TraceNode> reached = visited[0] == nodes.size() ? null : reached(top);
    for (TraceNode n : nodes) {
      if (reached != null && !reached.contains(n)) {
        warnings.add("parent cycle through span " + n.span().spanId());
        // The node it hangs under, not the one its parent ID names: a Zipkin joined server
        // half adopts its service's children, and cutting the wrong link left the cycle whole
        // for the clock-skew walk to follow forever.
        TraceNode parent = n.parent;
        if (parent != null) {
          parent.children().remove(n);
        }
        n.parent = null;
        n.markOrphan();
        top.add(n);
        maxDepth = Math.max(maxDepth, walk(List.of(n), nodes.size(), visited));
        reached.addAll(reached(List.of(n)));
      }
    }
    TraceAnalysis.adjustClockSkew(top);
    for (TraceNode n : nodes) {
      if (n.skewNanos != 0) {
        warnings.add("clock skew: span " + n.span().spanId() + " shifted by " + n.skewNanos
            + " ns to fit in its parent");
      }
    }
    TraceAnalysis.selfTimes(nodes);
    if (!top.isEmpty()) {
      TraceAnalysis.criticalPath(top.get(0));
    }
    return summarize(traceId, top, nodes, maxDepth, warnings);
  }

  /**
   * The server halves of Zipkin's joined spans by the client half's span ID. Brave reports the
   * server side of an RPC under the client's span ID ({@code shared: true}); ingest stores it
   * under an ID of its own with the client half as parent ({@link #ZIPKIN_SHARED}, docs/zipkin.md),
   * but the server's own children still name the shared ID as their parent. Those of the server's
   * service belong under the server half, as Jaeger re-parents them when it reads Zipkin data.
   */
  private static Map<String, TraceNode> joinedServerHalves(List<TraceNode> nodes) {
    Map<String, TraceNode> out = Map.of();
    for (TraceNode n : nodes) {
      Object shared = n.span().attributes().get(ZIPKIN_SHARED);
      if ((Boolean.TRUE.equals(shared) || "true".equals(shared))
          && !n.span().parentSpanId().isEmpty()) {
        if (out.isEmpty()) {
          out = new HashMap<>();
        }
        out.putIfAbsent(n.span().parentSpanId(), n);
      }
    }
    return out;
  }

  private static Trace summarize(String traceId, List<TraceNode> top, List<TraceNode> nodes,
      int depth, List<String> warnings) {
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    int errors = 0;
    // Services in order of their first span by start: each service's first span (the earliest
    // in list order among equals, as a stable sort of all spans would have it), then those sorted.
    Map<String, Integer> firstOfService = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      TraceNode n = nodes.get(i);
      start = Math.min(start, n.start());
      end = Math.max(end, n.end());
      Integer first = firstOfService.putIfAbsent(n.span().serviceName(), i);
      if (first != null && BY_START.compare(n, nodes.get(first)) < 0) {
        firstOfService.put(n.span().serviceName(), i);
      }
      if (n.span().statusCode() == StatusCode.ERROR) {
        errors++;
      }
    }
    List<Integer> firsts = new ArrayList<>(firstOfService.values());
    firsts.sort((a, b) -> {
      int c = BY_START.compare(nodes.get(a), nodes.get(b));
      return c != 0 ? c : Integer.compare(a, b);
    });
    List<String> services = new ArrayList<>(firsts.size());
    for (int i : firsts) {
      services.add(nodes.get(i).span().serviceName());
    }
    if (nodes.isEmpty()) {
      start = 0;
      end = 0;
    }
    return new Trace(traceId, top, nodes.size(), depth, errors, List.copyOf(services), start,
        end - start, warnings);
  }

  /**
   * Sorts children and sets depths iteratively (deep traces must not overflow the stack); sets
   * {@code visited[0]} to the number of nodes seen.
   */
  private static int walk(List<TraceNode> top, int limit, int[] visited) {
    int max = 0;
    ArrayDeque<TraceNode> stack = new ArrayDeque<>();
    for (TraceNode t : top) {
      t.depth(0);
      stack.push(t);
    }
    int seen = 0;
    while (!stack.isEmpty() && seen++ <= limit) {
      TraceNode n = stack.pop();
      if (n.children().size() > 1) {
        n.children().sort(BY_START);
      }
      max = Math.max(max, n.depth());
      for (TraceNode c : n.children()) {
        c.depth(n.depth() + 1);
        stack.push(c);
      }
    }
    visited[0] = stack.isEmpty() ? seen : -1;
    return max;
  }

  private static Set<TraceNode> reached(List<TraceNode> top) {
    Set<TraceNode> seen = new HashSet<>();
    ArrayDeque<TraceNode> stack = new ArrayDeque<>(top);
    while (!stack.isEmpty()) {
      TraceNode n = stack.pop();
      if (seen.add(n)) {
        stack.addAll(n.children());
      }
    }
    return seen;
  }
}
