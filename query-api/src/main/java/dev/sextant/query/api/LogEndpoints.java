package dev.sextant.query.api;

import dev.sextant.query.BadParameterException;
import dev.sextant.query.Params;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.trace.Trace;
import dev.sextant.query.trace.TraceAssembler;
import dev.sextant.query.trace.TraceNode;
import dev.sextant.query.trace.TraceRead;
import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogQueryBuilder;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Span;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Log search, logs of a trace or span, and everything sharing a correlation ID. */
final class LogEndpoints {
  static final int DEFAULT_LIMIT = 100;
  /** Most traces a correlation lookup loads. */
  static final int MAX_CORRELATED_TRACES = 50;
  /** Span attributes that carry a correlation ID (the keys the collector reads on logs). */
  static final List<String> CORRELATION_KEYS = List.of("correlation_id", "correlation.id");

  private final Storage storage;
  private final int maxSpans;

  /** {@code maxSpans}: most spans a correlation lookup reads, over all its traces. */
  LogEndpoints(Storage storage, int maxSpans) {
    this.storage = storage;
    this.maxSpans = maxSpans;
  }

  Object logs(ServiceRequestContext ctx, QueryParams q) {
    LogQueryBuilder b = common(q);
    String text = q.get("q");
    if (text != null) {
      b.text(text);
    }
    String service = q.get("service");
    if (service != null) {
      b.serviceName(service);
    }
    b.minSeverity(Params.severity(q.get("severity")));
    String traceId = q.get("traceId");
    if (traceId != null) {
      b.traceId(Params.traceId("traceId", traceId));
    }
    String spanId = q.get("spanId");
    if (spanId != null) {
      b.spanId(Params.spanId("spanId", spanId));
    }
    String correlationId = q.get("correlationId");
    if (correlationId != null) {
      b.correlationId(correlationId);
    }
    Params.attributes(q, "attributes").forEach(b::attribute);
    return page(storage.logReader().search(b.build()));
  }

  Object traceLogs(ServiceRequestContext ctx, QueryParams q) {
    LogQueryBuilder b = common(q).traceId(Params.traceId("traceId", ctx.pathParam("traceId")));
    String spanId = q.get("spanId");
    if (spanId != null) {
      b.spanId(Params.spanId("spanId", spanId));
    }
    return page(storage.logReader().search(b.build()));
  }

  Object correlation(ServiceRequestContext ctx, QueryParams q) {
    String id = ctx.pathParam("correlationId");
    if (id == null || id.isBlank() || id.length() > 256) {
      throw new BadParameterException("correlationId", String.valueOf(id), "1-256 characters");
    }
    LogPage logs = storage.logReader().search(common(q).correlationId(id).build());
    Set<String> traceIds = new LinkedHashSet<>();
    for (LogRecord r : logs.records()) {
      if (!r.traceId().isEmpty()) {
        traceIds.add(r.traceId());
      }
    }
    for (String key : CORRELATION_KEYS) {
      TraceQuery tq = TraceQuery.builder().attribute(key, id).limit(MAX_CORRELATED_TRACES).build();
      for (TraceSummary s : storage.spanSearch().search(tq)) {
        traceIds.add(s.traceId());
      }
    }
    List<Object> traces = new ArrayList<>();
    List<Object> spans = new ArrayList<>();
    int budget = maxSpans;
    for (String traceId : traceIds) {
      if (traces.size() == MAX_CORRELATED_TRACES || budget == 0) {
        break;
      }
      List<Span> trace = TraceRead.of(storage.traceReader(), traceId, budget).spans();
      budget -= trace.size();
      if (trace.isEmpty()) {
        continue;
      }
      traces.add(traceSummary(TraceAssembler.assemble(traceId, trace)));
      for (Span s : trace) {
        if (CORRELATION_KEYS.stream().anyMatch(k -> id.equals(String.valueOf(s.attributes()
            .get(k))))) {
          spans.add(spanRef(s));
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("correlationId", id);
    out.put("logs", records(logs.records()));
    out.put("nextCursor", logs.nextCursor());
    out.put("traces", traces);
    out.put("spans", spans);
    return out;
  }

  /** Time window (optional, unbounded by default), limit and cursor. */
  private static LogQueryBuilder common(QueryParams q) {
    LogQueryBuilder b = LogQuery.builder();
    String start = q.get("start");
    String end = q.get("end");
    if (start != null || end != null) {
      long from = start == null ? 0 : Params.time("start", start);
      long to = end == null ? Long.MAX_VALUE : Params.time("end", end);
      if (from > to) {
        throw new BadParameterException("start", start, "not after end");
      }
      b.timeRange(from, to);
    }
    b.limit(Params.limit(q.get("limit"), DEFAULT_LIMIT));
    String cursor = q.get("cursor");
    if (cursor != null) {
      b.cursor(cursor);
    }
    return b;
  }

  private static Map<String, Object> page(LogPage page) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("records", records(page.records()));
    out.put("nextCursor", page.nextCursor());
    return out;
  }

  private static List<Object> records(List<LogRecord> records) {
    List<Object> out = new ArrayList<>(records.size());
    for (LogRecord r : records) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("timeUnixNano", Long.toString(r.effectiveTimeUnixNano()));
      m.put("observedTimeUnixNano", Long.toString(r.observedTimeUnixNano()));
      m.put("severityNumber", r.severityNumber());
      m.put("severityText", r.severityText());
      m.put("body", r.body());
      m.put("service", r.serviceName());
      m.put("traceId", r.traceId());
      m.put("spanId", r.spanId());
      m.put("correlationId", r.correlationId());
      m.put("attributes", r.attributes());
      m.put("resource", r.resourceAttributes());
      m.put("scope", r.scopeName());
      out.add(m);
    }
    return out;
  }

  static Map<String, Object> traceSummary(Trace t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("traceId", t.traceId());
    TraceNode root = t.roots().isEmpty() ? null : t.roots().get(0);
    m.put("rootService", root == null ? "" : root.span().serviceName());
    m.put("rootName", root == null ? "" : root.span().name());
    m.put("startTimeUnixNano", Long.toString(t.startUnixNano()));
    m.put("durationNanos", t.durationNanos());
    m.put("spanCount", t.spanCount());
    m.put("errorCount", t.errorCount());
    m.put("services", t.services());
    return m;
  }

  private static Map<String, Object> spanRef(Span s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("traceId", s.traceId());
    m.put("spanId", s.spanId());
    m.put("service", s.serviceName());
    m.put("name", s.name());
    m.put("startTimeUnixNano", Long.toString(s.startTimeUnixNano()));
    m.put("durationNanos", s.durationNanos());
    m.put("status", s.statusCode().name());
    return m;
  }
}
