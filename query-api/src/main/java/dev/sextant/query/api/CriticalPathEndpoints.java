package dev.sextant.query.api;

import dev.sextant.query.BadParameterException;
import dev.sextant.query.Params;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.critpath.CriticalPathQuery;
import dev.sextant.query.critpath.CriticalPathReport;
import dev.sextant.query.critpath.CriticalPaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/critical-path?service=&operation=&start=&end=}: the critical path of an
 * operation's traces, aggregated, against the previous window (see {@link CriticalPaths}).
 */
final class CriticalPathEndpoints {
  private final CriticalPaths paths;
  private final int maxTraces;

  CriticalPathEndpoints(CriticalPaths paths, int maxTraces) {
    this.paths = paths;
    this.maxTraces = maxTraces;
  }

  Object criticalPath(ServiceRequestContext ctx, QueryParams q) {
    String service = required(q, "service", "a service name");
    String operation = required(q, "operation", "a span name of the service");
    Params.Window w = Params.window(q.get("start"), q.get("end"), SearchEndpoints.DEFAULT_RANGE,
        SearchEndpoints.nowNanos());
    if (w.fromUnixNano() == w.toUnixNano()) {
      throw new BadParameterException("end", q.get("end"), "after start");
    }
    return json(paths.aggregate(new CriticalPathQuery(service, operation, w.fromUnixNano(),
        w.toUnixNano())), maxTraces);
  }

  private static String required(QueryParams q, String name, String expected) {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      throw new BadParameterException(name, v == null ? "" : v, expected);
    }
    return v;
  }

  static Map<String, Object> json(CriticalPathReport r, int maxTraces) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("service", r.query().service());
    out.put("operation", r.query().operation());
    out.put("sampled", r.sampled());
    out.put("maxTraces", maxTraces);
    out.put("window", window(r.current()));
    out.put("previousWindow", window(r.previous()));
    List<Object> rows = new ArrayList<>();
    for (CriticalPathReport.Row row : r.rows()) {
      rows.add(row(row));
    }
    out.put("operations", rows);
    out.put("grewMost", r.grewMost() == null ? null : row(r.grewMost()));
    return out;
  }

  private static Map<String, Object> window(CriticalPathReport.WindowStats w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("startUnixNano", Long.toString(w.fromUnixNano()));
    m.put("endUnixNano", Long.toString(w.toUnixNano()));
    m.put("total", w.candidates());
    m.put("totalIsLowerBound", w.candidatesCapped());
    m.put("analysed", w.analysed());
    m.put("sampled", w.sampled());
    m.put("durationNanos", CompareEndpoints.ordered("p50", w.durationP50Nanos(),
        "p99", w.durationP99Nanos()));
    return m;
  }

  private static Map<String, Object> row(CriticalPathReport.Row row) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", row.service());
    m.put("operation", row.operation());
    m.put("share", share(row.current()));
    m.put("previousShare", share(row.previous()));
    m.put("delta", CompareEndpoints.ordered("mean", row.meanDelta(), "p50", row.p50Delta(),
        "p99", row.p99Delta()));
    return m;
  }

  private static Map<String, Object> share(CriticalPathReport.Share s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("traces", s.traces());
    m.put("p50", s.p50());
    m.put("p99", s.p99());
    m.put("mean", s.mean());
    m.put("nanosP50", s.nanosP50());
    m.put("nanosP99", s.nanosP99());
    return m;
  }
}
