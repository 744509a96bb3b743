package dev.sextant.query.graph;

import static java.util.Objects.requireNonNull;

import dev.sextant.query.trace.TraceRead;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Derives the service dependency graph from traces.
 *
 * <p>An edge caller → callee is counted once for every parent/child span pair whose services
 * differ (client → server, producer → consumer, or any other kinds), and once for every CLIENT or
 * PRODUCER span carrying {@code peer.service} that has no child span in another service (the callee
 * is not instrumented or its spans were not received). A call is an error when the callee span, or
 * the calling CLIENT/PRODUCER span, has status ERROR.
 *
 * <p>The graph is built from a bounded sample: {@link #collect} reads at most {@code maxTraces}
 * traces (default {@value #DEFAULT_MAX_TRACES}) with a span starting in the window, newest first,
 * and reports {@link ServiceGraph#truncated()} when there were more.
 */
public final class ServiceGraphs {
  public static final int DEFAULT_MAX_TRACES = 500;
  public static final String PEER_SERVICE = "peer.service";

  private ServiceGraphs() {}

  /** Reads up to {@code maxTraces} traces with a span in {@code [from, to)}; derives the graph. */
  public static ServiceGraph collect(Storage storage, long fromUnixNano, long toUnixNano,
      int maxTraces) {
    return collect(storage, fromUnixNano, toUnixNano, maxTraces, TraceRead.DEFAULT_MAX_SPANS);
  }

  /**
   * As {@link #collect(Storage, long, long, int)}, reading at most {@code maxSpans} spans in all:
   * a few huge traces must not exhaust the heap. A graph cut short is {@code truncated}.
   */
  public static ServiceGraph collect(Storage storage, long fromUnixNano, long toUnixNano,
      int maxTraces, int maxSpans) {
    requireNonNull(storage, "storage");
    TraceRead.checkMaxSpans("maxSpans", maxSpans);
    TraceQuery q = TraceQuery.builder().timeRange(fromUnixNano, toUnixNano).limit(maxTraces)
        .build();
    List<TraceSummary> found = storage.spanSearch().search(q);
    List<List<Span>> traces = new ArrayList<>(found.size());
    int budget = maxSpans;
    boolean cut = false;
    for (TraceSummary s : found) {
      if (budget == 0) {
        cut = true;
        break;
      }
      TraceRead read = TraceRead.of(storage.traceReader(), s.traceId(), budget);
      traces.add(read.spans());
      budget -= read.spans().size();
      cut |= read.truncated();
    }
    ServiceGraph g = derive(traces);
    return new ServiceGraph(g.services(), g.edges(), traces.size(),
        cut || found.size() >= maxTraces);
  }

  /** The graph of {@code traces} (each the spans of one trace). */
  @SuppressWarnings("ReferenceEquality") // p == s: a span named as its own parent, not an equal one
  public static ServiceGraph derive(Collection<List<Span>> traces) {
    Map<List<String>, Acc> edges = new TreeMap<>(
        (a, b) -> a.get(0).equals(b.get(0)) ? a.get(1).compareTo(b.get(1))
            : a.get(0).compareTo(b.get(0)));
    Set<String> services = new TreeSet<>();
    for (List<Span> spans : traces) {
      Map<String, Span> byId = new HashMap<>(spans.size() * 2);
      for (Span s : spans) {
        byId.putIfAbsent(s.spanId(), s);
        services.add(s.serviceName());
      }
      Set<Span> matched = Collections.newSetFromMap(new IdentityHashMap<>());
      for (Span s : spans) {
        Span p = s.parentSpanId().isEmpty() ? null : byId.get(s.parentSpanId());
        if (p == null || p == s || p.serviceName().equals(s.serviceName())) {
          continue;
        }
        matched.add(p);
        boolean error = s.statusCode() == StatusCode.ERROR
            || (isCaller(p) && p.statusCode() == StatusCode.ERROR);
        edges.computeIfAbsent(List.of(p.serviceName(), s.serviceName()), k -> new Acc())
            .add(s.durationNanos(), error);
      }
      for (Span s : spans) {
        if (!isCaller(s) || matched.contains(s)) {
          continue;
        }
        Object peer = s.attributes().get(PEER_SERVICE);
        if (peer instanceof String callee && !callee.isEmpty()
            && !callee.equals(s.serviceName())) {
          services.add(callee);
          edges.computeIfAbsent(List.of(s.serviceName(), callee), k -> new Acc())
              .add(s.durationNanos(), s.statusCode() == StatusCode.ERROR);
        }
      }
    }
    List<ServiceGraph.Edge> out = new ArrayList<>(edges.size());
    edges.forEach((k, a) -> out.add(a.edge(k.get(0), k.get(1))));
    return new ServiceGraph(List.copyOf(services), out, traces.size(), false);
  }

  private static boolean isCaller(Span s) {
    return s.kind() == SpanKind.CLIENT || s.kind() == SpanKind.PRODUCER;
  }

  /** Nearest-rank percentile of sorted values: the smallest value with q of them at or below. */
  static long percentile(long[] sorted, int n, double q) {
    if (n == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * n);
    return sorted[Math.max(0, Math.min(n, rank) - 1)];
  }

  private static final class Acc {
    long[] durations = new long[8];
    int n;
    long errors;

    void add(long durationNanos, boolean error) {
      if (n == durations.length) {
        durations = Arrays.copyOf(durations, n * 2);
      }
      durations[n++] = Math.max(0, durationNanos);
      if (error) {
        errors++;
      }
    }

    ServiceGraph.Edge edge(String caller, String callee) {
      Arrays.sort(durations, 0, n);
      return new ServiceGraph.Edge(caller, callee, n, errors, percentile(durations, n, 0.5),
          percentile(durations, n, 0.9), percentile(durations, n, 0.99));
    }
  }
}
