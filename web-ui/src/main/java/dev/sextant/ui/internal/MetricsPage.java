package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.TimeParams;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.promql.QueryException;
import dev.sextant.query.promql.QueryResult;
import dev.sextant.query.promql.parser.ParseException;
import dev.sextant.query.promql.parser.Parser;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code /ui/metrics?expr=&range=1h&end=&step=&tab=graph|table}: the PromQL explorer. A parse
 * error is shown under the input with a caret at its position; the graph tab runs a range query
 * ending at {@code end} (default now), the table tab an instant query at {@code end}. Errors in
 * the query are the page's content, answered with 200 like the rest of the page.
 */
public final class MetricsPage extends Page {
  static final int MAX_GRAPH_SERIES = 100;
  static final int MAX_TABLE_ROWS = 1000;
  private static final int MAX_METRIC_NAMES = 2000;
  private final PromqlEngine engine;
  private final MetricReader metrics;

  public MetricsPage(Templates templates, PromqlEngine engine, MetricReader metrics) {
    super(templates);
    this.engine = engine;
    this.metrics = metrics;
  }

  @Override
  HttpResponse render(ServiceRequestContext ctx, Params p) {
    Map<String, Object> scope = Templates.scope("Metrics", "metrics");
    String expr = p.str("expr");
    String range = p.str("range").isEmpty() ? "1h" : p.str("range");
    String tab = p.str("tab").equals("table") ? "table" : "graph";
    scope.put("expr", expr);
    scope.put("end", p.str("end"));
    scope.put("step", p.str("step"));
    scope.put("tab", tab);
    scope.put("tabGraph", tab.equals("graph"));
    scope.put("tabTable", tab.equals("table"));
    scope.put("ranges", Ranges.options(range));
    scope.put("uplot", ServicesPage.UPLOT);
    scope.put("metricNames", metricNames());
    scope.put("graphLink", link(expr, range, p.str("end"), p.str("step"), "graph"));
    scope.put("tableLink", link(expr, range, p.str("end"), p.str("step"), "table"));
    if (expr.isEmpty()) {
      scope.put("noExpr", true);
      return templates.page(HttpStatus.OK, "metrics", scope);
    }
    try {
      Parser.parse(expr);
    } catch (ParseException e) {
      scope.put("parseError", e.getMessage());
      scope.put("errorLine", lineOf(expr, e.line()));
      scope.put("caret", " ".repeat(Math.max(0, e.column() - 1)) + "^");
      // 200: the page loaded; the error is its content (a 4xx would be a console error).
      return templates.page(HttpStatus.OK, "metrics", scope);
    }
    try {
      long rangeMs = Ranges.millis("range", range);
      long endMs = endMillis(p.str("end"));
      long stepMs = p.str("step").isEmpty() ? Ranges.autoStepMillis(rangeMs)
          : p.durationNanos("step") / 1_000_000;
      if (stepMs <= 0 || rangeMs / stepMs + 1 > Ranges.MAX_POINTS) {
        throw new IllegalArgumentException("step: " + p.str("step") + " (expected: at least "
            + Math.max(1, rangeMs / (Ranges.MAX_POINTS - 1)) + "ms, at most "
            + Ranges.MAX_POINTS + " points per series)");
      }
      scope.put("stepShown", Formats.duration(stepMs * 1_000_000));
      if (tab.equals("graph")) {
        long startMs = endMs - rangeMs;
        QueryResult r = engine.rangeQuery(expr, startMs, endMs, stepMs);
        scope.put("chart", Charts.json(Charts.of(r.matrix(), startMs, endMs, stepMs, "",
            MAX_GRAPH_SERIES)));
        scope.put("resultCount", r.matrix().size() + " series");
        if (r.matrix().size() > MAX_GRAPH_SERIES) {
          scope.put("truncated", "showing " + MAX_GRAPH_SERIES + " of " + r.matrix().size()
              + " series; narrow the query to see the rest");
        }
        scope.put("warnings", notes(r));
      } else {
        QueryResult r = engine.instantQuery(expr, endMs);
        table(scope, r);
        scope.put("warnings", notes(r));
      }
      return templates.page(HttpStatus.OK, "metrics", scope);
    } catch (QueryException e) {
      scope.put("queryError", e.kind().name().toLowerCase(Locale.ROOT) + ": "
          + e.getMessage());
      return templates.page(HttpStatus.OK, "metrics", scope);
    } catch (IllegalArgumentException e) {
      scope.put("queryError", e.getMessage());
      return templates.page(HttpStatus.OK, "metrics", scope);
    }
  }

  private static void table(Map<String, Object> scope, QueryResult r) {
    List<Map<String, Object>> rows = new ArrayList<>();
    switch (r.type()) {
      case SCALAR -> rows.add(row("scalar", r.scalar()));
      case STRING -> rows.add(Map.of("labels", "string", "value", r.string()));
      case VECTOR -> {
        for (QueryResult.Sample s : r.vector()) {
          if (rows.size() < MAX_TABLE_ROWS) {
            rows.add(row(Charts.label(s.labels()), s.value()));
          }
        }
      }
      default -> {
        for (QueryResult.Series s : r.matrix()) {
          if (rows.size() < MAX_TABLE_ROWS) {
            StringBuilder vs = new StringBuilder();
            for (int i = 0; i < s.values().length; i++) {
              vs.append(number(s.values()[i])).append(" @").append(s.timesMs()[i] / 1000.0)
                  .append('\n');
            }
            rows.add(Map.of("labels", Charts.label(s.labels()), "value", vs.toString().trim()));
          }
        }
      }
    }
    int total = switch (r.type()) {
      case VECTOR -> r.vector().size();
      case MATRIX -> r.matrix().size();
      default -> 1;
    };
    scope.put("rows", rows);
    scope.put("hasRows", !rows.isEmpty());
    scope.put("resultCount", total + (r.type().name().equals("VECTOR") ? " series" : " result"));
    if (total > rows.size()) {
      scope.put("truncated", "showing " + rows.size() + " of " + total + " rows");
    }
  }

  private static Map<String, Object> row(String labels, double v) {
    return Map.of("labels", labels, "value", number(v));
  }

  /** Prometheus's text for a sample value. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static List<String> notes(QueryResult r) {
    List<String> out = new ArrayList<>(r.warnings());
    out.addAll(r.infos());
    return out;
  }

  private List<String> metricNames() {
    long now = System.currentTimeMillis();
    TreeSet<String> names = new TreeSet<>(metrics.labelValues(Labels.NAME, List.of(),
        now - 24 * 3600_000L, now));
    List<String> out = new ArrayList<>();
    for (String n : names) {
      if (out.size() == MAX_METRIC_NAMES) {
        break;
      }
      out.add(n);
    }
    return out;
  }

  /** {@code end}: RFC 3339 or unix seconds; empty means now. */
  static long endMillis(String end) {
    if (end.isEmpty()) {
      return System.currentTimeMillis();
    }
    try {
      return TimeParams.timeMillis(end); // Prometheus's parseTime rules, bounded work
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "end: " + TimeParams.cut(end) + " (expected: RFC 3339 time or unix seconds)");
    }
  }

  private static String lineOf(String text, int line) {
    String[] lines = text.split("\n", -1);
    return lines[Math.max(0, Math.min(lines.length - 1, line - 1))];
  }

  static String link(String expr, String range, String end, String step, String tab) {
    StringBuilder sb = new StringBuilder("/ui/metrics?expr=").append(Formats.url(expr))
        .append("&range=").append(Formats.url(range));
    if (!end.isEmpty()) {
      sb.append("&end=").append(Formats.url(end));
    }
    if (!step.isEmpty()) {
      sb.append("&step=").append(Formats.url(step));
    }
    return sb.append("&tab=").append(tab).toString();
  }

  /** {@code /ui/metrics/check?expr=}: JSON {@code {ok}} or {@code {error, line, column}}. */
  public static Map<String, Object> check(String expr) {
    Map<String, Object> out = new HashMap<>();
    try {
      Parser.parse(expr);
      out.put("ok", true);
    } catch (ParseException e) {
      out.put("ok", false);
      out.put("error", e.getMessage());
      out.put("line", e.line());
      out.put("column", e.column());
    }
    return out;
  }
}
