package dev.sextant.query.jaeger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.BadParameterException;
import dev.sextant.query.Params;
import dev.sextant.query.graph.ServiceGraph;
import dev.sextant.query.graph.ServiceGraphs;
import dev.sextant.query.trace.TraceRead;
import dev.sextant.storage.Ids;

import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceQueryBuilder;
import dev.sextant.storage.TraceSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Jaeger endpoints' logic; parameters as jaeger-query parses them. */
final class JaegerEndpoints {
  static final int DEFAULT_LIMIT = 20;
  static final Duration DEFAULT_LOOKBACK = Duration.ofHours(1);
  static final Duration DEFAULT_DEPENDENCY_LOOKBACK = Duration.ofDays(1);

  private final Storage storage;
  private final int maxGraphTraces;
  private final int maxSpans;

  JaegerEndpoints(Storage storage, int maxGraphTraces, int maxSpans) {
    this.storage = storage;
    this.maxGraphTraces = maxGraphTraces;
    this.maxSpans = maxSpans;
  }

  JaegerHandler.Reply services(ServiceRequestContext ctx, QueryParams q) {
    return JaegerHandler.Reply.ok(storage.spanSearch().services());
  }

  JaegerHandler.Reply operations(ServiceRequestContext ctx, QueryParams q) {
    return JaegerHandler.Reply.ok(storage.spanSearch().spanNames(ctx.pathParam("service")));
  }

  /** {@code /operations?service=}: objects with the span kind, which the index does not keep. */
  JaegerHandler.Reply operationObjects(ServiceRequestContext ctx, QueryParams q) {
    String service = q.get("service");
    if (service == null || service.isEmpty()) {
      throw new BadParameterException("service", String.valueOf(service), "a service name");
    }
    List<Object> out = new ArrayList<>();
    for (String name : storage.spanSearch().spanNames(service)) {
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("name", name);
      op.put("spanKind", "");
      out.add(op);
    }
    return JaegerHandler.Reply.ok(out);
  }

  JaegerHandler.Reply traces(ServiceRequestContext ctx, QueryParams q) {
    TraceQuery query = query(q, System.currentTimeMillis() * 1_000_000L);
    List<Object> traces = new ArrayList<>();
    int budget = maxSpans; // for the whole answer: 1,000 big traces must not exhaust the heap
    for (TraceSummary s : storage.spanSearch().search(query)) {
      if (budget == 0) {
        break;
      }
      TraceRead read = TraceRead.of(storage.traceReader(), s.traceId(), budget);
      budget -= read.spans().size();
      if (!read.spans().isEmpty()) {
        traces.add(JaegerSpans.trace(s.traceId(), read));
      }
    }
    return JaegerHandler.Reply.ok(traces);
  }

  /** The search parameters of jaeger-query's {@code /api/traces} as a storage query. */
  static TraceQuery query(QueryParams q, long nowUnixNano) {
    TraceQueryBuilder b = TraceQuery.builder();
    String service = q.get("service");
    if (service != null && !service.isEmpty()) {
      b.serviceName(service);
    }
    String operation = q.get("operation");
    if (operation != null && !operation.isEmpty() && !operation.equals("all")) {
      b.spanName(operation);
    }
    tags(q).forEach(b::attribute);
    long min = 0;
    String minDuration = q.get("minDuration");
    if (minDuration != null && !minDuration.isEmpty()) {
      min = Params.duration("minDuration", minDuration);
      b.minDuration(Duration.ofNanos(min));
    }
    String maxDuration = q.get("maxDuration");
    if (maxDuration != null && !maxDuration.isEmpty()) {
      long max = Params.duration("maxDuration", maxDuration);
      if (max < min) {
        throw new BadParameterException("maxDuration", maxDuration, ">= minDuration");
      }
      b.maxDuration(Duration.ofNanos(max));
    }
    long end = micros(q, "end", nowUnixNano);
    Duration lookback = DEFAULT_LOOKBACK;
    String lb = q.get("lookback");
    if (lb != null && !lb.isEmpty() && !lb.equals("custom")) {
      lookback = Duration.ofNanos(Params.duration("lookback", lb));
    }
    long start = micros(q, "start", Math.max(0, end - lookback.toNanos()));
    window(start, end, q.get("start"), q.get("end"));
    b.timeRange(start, end);
    b.limit(Params.limit(emptyToNull(q.get("limit")), DEFAULT_LIMIT));
    return b.build();
  }

  /** Tags from {@code tags={"k":"v"}} (Grafana, jaeger-ui) and repeated {@code tag=k:v}. */
  static Map<String, String> tags(QueryParams q) {
    Map<String, String> out = new LinkedHashMap<>();
    String json = q.get("tags");
    if (json != null && !json.isEmpty()) {
      Map<String, Object> m;
      try {
        m = JaegerApi.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() {});
      } catch (JsonProcessingException e) {
        m = null;
      }
      if (m == null) {
        throw new BadParameterException("tags", json, "a JSON object like {\"error\":\"true\"}");
      }
      m.forEach((k, v) -> out.put(k, String.valueOf(v)));
    }
    for (String kv : q.getAll("tag")) {
      int colon = kv.indexOf(':');
      if (colon <= 0) {
        throw new BadParameterException("tag", kv, "key:value");
      }
      out.put(kv.substring(0, colon), kv.substring(colon + 1));
    }
    return out;
  }

  JaegerHandler.Reply trace(ServiceRequestContext ctx, QueryParams q) {
    String id = ctx.pathParam("traceId");
    // Jaeger IDs may be 64-bit or have leading zeros stripped; stored IDs are 32 characters.
    String traceId = Ids.padTraceId(id);
    if (traceId == null) {
      throw new BadParameterException("traceID", String.valueOf(id),
          "1-32 hex characters, not all zero");
    }
    TraceRead read = TraceRead.of(storage.traceReader(), traceId, maxSpans);
    if (read.spans().isEmpty()) {
      return JaegerHandler.Reply.error(HttpStatus.NOT_FOUND, "trace not found");
    }
    return JaegerHandler.Reply.ok(List.of(JaegerSpans.trace(traceId, read)));
  }

  JaegerHandler.Reply dependencies(ServiceRequestContext ctx, QueryParams q) {
    long nowMs = System.currentTimeMillis();
    long endMs = longParam(q, "endTs", nowMs, "unix milliseconds");
    long lookbackMs = longParam(q, "lookback", DEFAULT_DEPENDENCY_LOOKBACK.toMillis(),
        "milliseconds");
    if (lookbackMs > Params.MAX_RANGE.toMillis()) {
      throw new BadParameterException("lookback", q.get("lookback"),
          "at most " + Params.MAX_RANGE.toMillis() + " (31 days)");
    }
    long startMs = Math.max(0, endMs - lookbackMs);
    ServiceGraph g = ServiceGraphs.collect(storage, startMs * 1_000_000L, endMs * 1_000_000L,
        maxGraphTraces, maxSpans);
    List<Object> out = new ArrayList<>();
    for (ServiceGraph.Edge e : g.edges()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("parent", e.caller());
      m.put("child", e.callee());
      m.put("callCount", e.calls());
      out.add(m);
    }
    return JaegerHandler.Reply.ok(out);
  }

  private static long micros(QueryParams q, String name, long defaultNanos) {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      return defaultNanos;
    }
    try {
      long us = Long.parseLong(v.trim());
      if (us >= 0 && us <= Long.MAX_VALUE / 1_000) {
        return us * 1_000;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadParameterException(name, v, "unix microseconds");
  }

  private static long longParam(QueryParams q, String name, long def, String expected) {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      return def;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n >= 0 && n <= Long.MAX_VALUE / 1_000_000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadParameterException(name, v, expected);
  }

  private static void window(long start, long end, String startParam, String endParam) {
    if (start > end) {
      throw new BadParameterException("start", startParam, "not after end " + endParam);
    }
    if (end - start > Params.MAX_RANGE.toNanos()) {
      throw new BadParameterException("start", startParam,
          "at most " + Params.MAX_RANGE.toDays() + " days before end");
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
