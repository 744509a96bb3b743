package dev.sextant.query.api;

import dev.sextant.query.BadParameterException;
import dev.sextant.query.Params;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.compare.CompareQuery;
import dev.sextant.query.compare.Comparison;
import dev.sextant.query.compare.Difference;
import dev.sextant.query.compare.Selection;
import dev.sextant.query.compare.TraceComparer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/compare?service=&operation=&start=&end=&selection=&limit=}: what sets the
 * selected traces apart from the others of the window (see {@link TraceComparer}).
 */
final class CompareEndpoints {
  static final int DEFAULT_LIMIT = 20;

  private final TraceComparer comparer;
  private final int maxTracesPerSide;

  CompareEndpoints(TraceComparer comparer, int maxTracesPerSide) {
    this.comparer = comparer;
    this.maxTracesPerSide = maxTracesPerSide;
  }

  Object compare(ServiceRequestContext ctx, QueryParams q) {
    // Its error names the parameter: selection: 'x' (expected: error, duration>DURATION or all)
    Selection selection = Selection.parse(q.get("selection", "error"));
    String service = q.get("service", "");
    String operation = q.get("operation", "");
    if (selection.kind() == Selection.Kind.ALL && service.isEmpty() && operation.isEmpty()) {
      throw new BadParameterException("service", service,
          "a service or operation when selection is all");
    }
    Params.Window w = Params.window(q.get("start"), q.get("end"), SearchEndpoints.DEFAULT_RANGE,
        SearchEndpoints.nowNanos());
    int limit = Params.limit(q.get("limit"), DEFAULT_LIMIT);
    Comparison c = comparer.compare(new CompareQuery(service, operation, selection,
        w.fromUnixNano(), w.toUnixNano(), limit));
    return json(c, maxTracesPerSide);
  }

  static Map<String, Object> json(Comparison c, int maxTracesPerSide) {
    Map<String, Object> out = new LinkedHashMap<>();
    CompareQuery q = c.query();
    out.put("service", q.service());
    out.put("operation", q.operation());
    out.put("selection", q.selection().toString());
    out.put("startUnixNano", Long.toString(q.fromUnixNano()));
    out.put("endUnixNano", Long.toString(q.toUnixNano()));
    out.put("sampled", c.sampled());
    out.put("maxTracesPerSide", maxTracesPerSide);
    out.put("truncated", c.truncated());
    out.put("selectionTraces", side(c.selection()));
    out.put("baselineTraces", side(c.baseline()));
    List<Object> diffs = new ArrayList<>();
    for (Difference d : c.differences()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scope", d.field().scope());
      m.put("key", d.field().key());
      m.put("value", d.field().value());
      m.put("score", d.score());
      m.put("selection", ordered("count", d.selectionCount(),
          "proportion", d.selectionProportion()));
      m.put("baseline", ordered("count", d.baselineCount(),
          "proportion", d.baselineProportion()));
      m.put("text", d.describe(c.selectionNoun()));
      diffs.add(m);
    }
    out.put("differences", diffs);
    List<Object> ignored = new ArrayList<>();
    for (Comparison.IgnoredKey k : c.ignoredKeys()) {
      ignored.add(ordered("scope", k.scope(), "key", k.key(), "reason", k.reason()));
    }
    out.put("ignoredKeys", ignored);
    return out;
  }

  /** A JSON object with its keys in the order given (Map.of's order varies). */
  static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static Map<String, Object> side(Comparison.Side s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("total", s.candidates());
    m.put("totalIsLowerBound", s.candidatesCapped());
    m.put("analysed", s.analysed());
    m.put("sampled", s.sampled());
    if (s.reclassified() > 0) {
      m.put("reclassified", s.reclassified());
    }
    return m;
  }
}
