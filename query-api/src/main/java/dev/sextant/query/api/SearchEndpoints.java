package dev.sextant.query.api;

import dev.sextant.query.BadParameterException;
import dev.sextant.query.Params;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.graph.ServiceGraph;
import dev.sextant.query.graph.ServiceGraphs;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceQueryBuilder;
import dev.sextant.storage.TraceSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Trace search, services, operations and the service graph. */
final class SearchEndpoints {
  static final Duration DEFAULT_RANGE = Duration.ofHours(1);

  private final Storage storage;
  private final int maxGraphTraces;
  private final int maxSpans;

  SearchEndpoints(Storage storage, int maxGraphTraces, int maxSpans) {
    this.storage = storage;
    this.maxGraphTraces = maxGraphTraces;
    this.maxSpans = maxSpans;
  }

  static long nowNanos() {
    return System.currentTimeMillis() * 1_000_000L;
  }

  Object search(ServiceRequestContext ctx, QueryParams q) {
    TraceQuery query = traceQuery(q);
    List<Object> traces = new ArrayList<>();
    for (TraceSummary s : storage.spanSearch().search(query)) {
      traces.add(summary(s));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("traces", traces);
    out.put("limit", query.limit());
    return out;
  }

  /** The {@code /api/search} parameters as a storage query. */
  static TraceQuery traceQuery(QueryParams q) {
    TraceQueryBuilder b = TraceQuery.builder();
    String service = q.get("service");
    if (service != null) {
      b.serviceName(service);
    }
    String operation = q.get("operation");
    if (operation != null) {
      b.spanName(operation);
    }
    Params.attributes(q, "tags").forEach(b::attribute);
    long min = 0;
    String minDuration = q.get("minDuration");
    if (minDuration != null) {
      min = Params.duration("minDuration", minDuration);
      b.minDuration(Duration.ofNanos(min));
    }
    String maxDuration = q.get("maxDuration");
    if (maxDuration != null) {
      long max = Params.duration("maxDuration", maxDuration);
      if (max < min) {
        throw new BadParameterException("maxDuration", maxDuration, ">= minDuration");
      }
      b.maxDuration(Duration.ofNanos(max));
    }
    b.errorsOnly(Params.bool("error", q.get("error")));
    Params.Window w = Params.window(q.get("start"), q.get("end"), DEFAULT_RANGE, nowNanos());
    b.timeRange(w.fromUnixNano(), w.toUnixNano());
    b.limit(Params.limit(q.get("limit"), TraceQuery.DEFAULT_LIMIT));
    String sort = q.get("sort");
    if (sort != null) {
      b.order(switch (sort) {
        case "start" -> TraceQuery.Order.START_DESC;
        case "duration" -> TraceQuery.Order.DURATION_DESC;
        default -> throw new BadParameterException("sort", sort, "start or duration");
      });
    }
    return b.build();
  }

  static Map<String, Object> summary(TraceSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("traceId", s.traceId());
    m.put("rootService", s.rootServiceName());
    m.put("rootName", s.rootSpanName());
    m.put("startTimeUnixNano", Long.toString(s.startUnixNano()));
    m.put("durationNanos", s.durationNanos());
    m.put("spanCount", s.spanCount());
    m.put("errorCount", s.errorCount());
    m.put("services", s.services());
    return m;
  }

  Object services(ServiceRequestContext ctx, QueryParams q) {
    return Map.of("services", storage.spanSearch().services());
  }

  Object operations(ServiceRequestContext ctx, QueryParams q) {
    String service = ctx.pathParam("service");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("service", service);
    out.put("operations", storage.spanSearch().spanNames(service));
    return out;
  }

  Object dependencies(ServiceRequestContext ctx, QueryParams q) {
    Params.Window w = Params.window(q.get("start"), q.get("end"), DEFAULT_RANGE, nowNanos());
    int max = Params.intIn("maxTraces", q.get("maxTraces"), maxGraphTraces, 1, Params.MAX_LIMIT);
    ServiceGraph g = ServiceGraphs.collect(storage, w.fromUnixNano(), w.toUnixNano(), max,
        maxSpans);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("startUnixNano", Long.toString(w.fromUnixNano()));
    out.put("endUnixNano", Long.toString(w.toUnixNano()));
    out.put("tracesScanned", g.tracesScanned());
    out.put("maxTraces", max);
    out.put("truncated", g.truncated());
    out.put("services", g.services());
    List<Object> edges = new ArrayList<>();
    for (ServiceGraph.Edge e : g.edges()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("caller", e.caller());
      m.put("callee", e.callee());
      m.put("calls", e.calls());
      m.put("errors", e.errors());
      m.put("errorRate", e.calls() == 0 ? 0.0 : (double) e.errors() / e.calls());
      Map<String, Object> lat = new LinkedHashMap<>();
      lat.put("p50", e.p50Nanos());
      lat.put("p90", e.p90Nanos());
      lat.put("p99", e.p99Nanos());
      m.put("latencyNanos", lat);
      edges.add(m);
    }
    out.put("edges", edges);
    return out;
  }
}
