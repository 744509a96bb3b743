package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.critpath.CriticalPathQuery;
import dev.sextant.query.critpath.CriticalPathReport;
import dev.sextant.query.critpath.CriticalPaths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /ui/services/{service}/critical-path?operation=&range=1h}: where an operation's time goes
 * across its traces ({@link CriticalPaths}): each service and operation's share of the end-to-end
 * time on the critical path at p50 and p99, against the previous range of the same length.
 */
public final class CriticalPathPage extends Page {
  private final CriticalPaths paths;

  public CriticalPathPage(Templates templates, CriticalPaths paths) {
    super(templates);
    this.paths = paths;
  }

  /** The page's link for one operation of a service. */
  static String link(String service, String operation, String range) {
    return "/ui/services/" + Formats.url(service).replace("+", "%20")
        + "/critical-path?operation=" + Formats.url(operation) + "&range=" + range;
  }

  @Override
  HttpResponse render(ServiceRequestContext ctx, Params p) {
    String service = ctx.pathParam("service");
    String operation = p.str("operation");
    String range = p.str("range").isEmpty() ? "1h" : p.str("range");
    Map<String, Object> scope = Templates.scope("Critical path of " + service, "services");
    scope.put("service", service);
    scope.put("color", Formats.color(service));
    scope.put("operation", operation);
    scope.put("ranges", Ranges.options(range));
    scope.put("serviceLink", "/ui/services/" + Formats.url(service).replace("+", "%20")
        + "?range=" + range);
    if (operation.isEmpty()) {
      throw new IllegalArgumentException("operation: '' (expected: a span name of " + service
          + ")");
    }
    long rangeMs = Ranges.millis("range", range);
    long to = System.currentTimeMillis() * 1_000_000L;
    CriticalPathReport r = paths.aggregate(new CriticalPathQuery(service, operation,
        Math.max(0, to - rangeMs * 1_000_000L), to));
    scope.put("analysed", r.current().analysed());
    scope.put("previousAnalysed", r.previous().analysed());
    scope.put("p50", Formats.duration(r.current().durationP50Nanos()));
    scope.put("p99", Formats.duration(r.current().durationP99Nanos()));
    scope.put("previousP50", Formats.duration(r.previous().durationP50Nanos()));
    scope.put("previousP99", Formats.duration(r.previous().durationP99Nanos()));
    scope.put("sampled", r.sampled());
    scope.put("empty", r.rows().isEmpty());
    if (r.grewMost() != null) {
      CriticalPathReport.Row g = r.grewMost();
      scope.put("grewMost", g.service() + " " + g.operation() + ": " + pct(g.previous().mean())
          + " % → " + pct(g.current().mean()) + " % of the time on the critical path (mean)");
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (CriticalPathReport.Row row : r.rows()) {
      Map<String, Object> m = new HashMap<>();
      m.put("service", row.service());
      m.put("color", Formats.color(row.service()));
      m.put("operation", row.operation());
      m.put("p50", pct(row.current().p50()));
      m.put("p99", pct(row.current().p99()));
      m.put("mean", pct(row.current().mean()));
      m.put("previousP50", pct(row.previous().p50()));
      m.put("previousP99", pct(row.previous().p99()));
      m.put("delta", (row.meanDelta() >= 0 ? "+" : "") + pct(row.meanDelta()));
      m.put("grew", Objects.equals(r.grewMost(), row));
      rows.add(m);
    }
    scope.put("rows", rows);
    return templates.page(HttpStatus.OK, "critical-path", scope);
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f", share * 100);
  }
}
