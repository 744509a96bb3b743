package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.storage.SpanSearch;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceQueryBuilder;
import dev.sextant.storage.TraceSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code /ui/search}: trace search form and results with duration bars. */
public final class SearchPage extends Page {
  private final SpanSearch search;

  public SearchPage(Templates templates, SpanSearch search) {
    super(templates);
    this.search = search;
  }

  @Override
  HttpResponse render(ServiceRequestContext ctx, Params p) {
    Map<String, Object> scope = Templates.scope("Trace search", "search");
    String service = p.str("service");
    String lookback = p.str("lookback").isEmpty() ? "1h" : p.str("lookback");
    String order = p.str("order").equals("duration") ? "duration" : "start";
    scope.put("operation", p.str("operation"));
    scope.put("attrs", p.str("attrs"));
    scope.put("minDuration", p.str("minDuration"));
    scope.put("maxDuration", p.str("maxDuration"));
    scope.put("errors", p.flag("errors"));
    scope.put("lookbacks", Lookback.options(lookback));
    scope.put("orderDuration", order.equals("duration"));
    scope.put("services", ServicesPage.options(search.services(), service));
    scope.put("operations", service.isEmpty() ? List.of() : search.spanNames(service));
    try {
      TraceQueryBuilder q = TraceQuery.builder()
          .serviceName(service)
          .spanName(p.str("operation"))
          .errorsOnly(p.flag("errors"))
          .timeRange(Lookback.fromUnixNano(lookback), Long.MAX_VALUE)
          .limit(p.integer("limit", TraceQuery.DEFAULT_LIMIT, 1, TraceQuery.MAX_LIMIT))
          .order(order.equals("duration") ? TraceQuery.Order.DURATION_DESC
              : TraceQuery.Order.START_DESC);
      p.attributes("attrs").forEach(q::attribute);
      long min = p.durationNanos("minDuration");
      long max = p.durationNanos("maxDuration");
      if (min >= 0) {
        q.minDuration(Duration.ofNanos(min));
      }
      if (max >= 0) {
        q.maxDuration(Duration.ofNanos(max));
      }
      List<TraceSummary> found = search.search(q.build());
      scope.put("compareLink", compareLink(p, service, lookback));
      scope.put("results", results(found));
      scope.put("count", found.size());
      scope.put("empty", found.isEmpty());
      return templates.page(HttpStatus.OK, "search", scope);
    } catch (IllegalArgumentException e) {
      // Keep the form so the user can fix the field the message names.
      scope.put("error", e.getMessage());
      return templates.page(HttpStatus.BAD_REQUEST, "search", scope);
    }
  }

  /**
   * "Compare these with the rest": failing traces when the search is for errors, slow ones for a
   * minimum duration, else every trace through the service; null when nothing selects.
   */
  private static String compareLink(Params p, String service, String lookback) {
    String selection;
    if (p.flag("errors")) {
      selection = "error";
    } else if (!p.str("minDuration").isEmpty()) {
      selection = "duration>" + p.str("minDuration");
    } else if (!service.isEmpty() || !p.str("operation").isEmpty()) {
      selection = "all";
    } else {
      return null;
    }
    return ComparePage.link(service, p.str("operation"), selection, lookback);
  }

  private static List<Map<String, Object>> results(List<TraceSummary> found) {
    long longest = 1;
    for (TraceSummary t : found) {
      longest = Math.max(longest, t.durationNanos());
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (TraceSummary t : found) {
      Map<String, Object> m = new HashMap<>();
      m.put("traceId", t.traceId());
      m.put("shortId", t.traceId().substring(0, Math.min(8, t.traceId().length())));
      m.put("rootService", t.rootServiceName());
      m.put("rootColor", Formats.color(t.rootServiceName()));
      m.put("rootName", t.rootSpanName());
      m.put("start", Formats.time(t.startUnixNano()));
      m.put("duration", Formats.duration(t.durationNanos()));
      m.put("barPct", String.format(Locale.ROOT, "%.1f",
          Math.max(0.5, 100.0 * t.durationNanos() / longest)));
      m.put("spanCount", t.spanCount());
      m.put("errorCount", t.errorCount());
      m.put("hasErrors", t.errorCount() > 0);
      List<Map<String, Object>> services = new ArrayList<>();
      for (String s : t.services()) {
        services.add(Map.of("name", s, "color", Formats.color(s)));
      }
      m.put("services", services);
      out.add(m);
    }
    return out;
  }
}
