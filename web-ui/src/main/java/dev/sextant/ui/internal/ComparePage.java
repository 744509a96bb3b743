package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.compare.CompareQuery;
import dev.sextant.query.compare.Comparison;
import dev.sextant.query.compare.Difference;
import dev.sextant.query.compare.Selection;
import dev.sextant.query.compare.TraceComparer;
import dev.sextant.storage.SpanSearch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /ui/compare?service=&operation=&selection=error&lookback=1h}: what sets the selected
 * traces apart from the others of the range ({@link TraceComparer}), as a table of the values most
 * over-represented in the selection with both sides' proportions.
 */
public final class ComparePage extends Page {
  static final int DIFFERENCES = 15;
  private final SpanSearch search;
  private final TraceComparer comparer;

  public ComparePage(Templates templates, SpanSearch search, TraceComparer comparer) {
    super(templates);
    this.search = search;
    this.comparer = comparer;
  }

  /** The compare page's link for a search's service, operation and condition. */
  static String link(String service, String operation, String selection, String lookback) {
    return "/ui/compare?service=" + Formats.url(service) + "&operation="
        + Formats.url(operation) + "&selection=" + Formats.url(selection) + "&lookback="
        + lookback;
  }

  @Override
  HttpResponse render(ServiceRequestContext ctx, Params p) {
    Map<String, Object> scope = Templates.scope("Compare traces", "search");
    String service = p.str("service");
    String operation = p.str("operation");
    String selText = p.str("selection").isEmpty() ? "error" : p.str("selection");
    String lookback = p.str("lookback").isEmpty() ? "1h" : p.str("lookback");
    scope.put("operation", operation);
    scope.put("selection", selText);
    scope.put("lookbacks", Lookback.options(lookback));
    scope.put("services", ServicesPage.options(search.services(), service));
    scope.put("operations", service.isEmpty() ? List.of() : search.spanNames(service));
    try {
      Selection selection = Selection.parse(selText);
      long from = Lookback.fromUnixNano(lookback);
      long to = System.currentTimeMillis() * 1_000_000L;
      Comparison c = comparer.compare(new CompareQuery(service, operation, selection, from, to,
          DIFFERENCES));
      scope.put("result", result(c));
      scope.put("searchLink", "/ui/search?service=" + Formats.url(service) + "&operation="
          + Formats.url(operation) + "&lookback=" + lookback
          + (selection.kind() == Selection.Kind.ERROR ? "&errors=on" : "")
          + (selection.kind() == Selection.Kind.DURATION ? "&minDuration="
              + Formats.url(selText.substring("duration>".length())) : ""));
      return templates.page(HttpStatus.OK, "compare", scope);
    } catch (IllegalArgumentException e) {
      scope.put("error", e.getMessage());
      return templates.page(HttpStatus.BAD_REQUEST, "compare", scope);
    }
  }

  private static Map<String, Object> result(Comparison c) {
    Map<String, Object> m = new HashMap<>();
    m.put("noun", c.selectionNoun());
    m.put("selected", c.selection().analysed());
    m.put("selectedTotal", total(c.selection()));
    m.put("others", c.baseline().analysed());
    m.put("othersTotal", total(c.baseline()));
    m.put("sampled", c.sampled());
    m.put("empty", c.differences().isEmpty());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Difference d : c.differences()) {
      Map<String, Object> r = new HashMap<>();
      r.put("scope", d.field().scope());
      r.put("key", d.field().key());
      r.put("value", d.field().value());
      r.put("selPct", pct(d.selectionProportion()));
      r.put("selCount", d.selectionCount());
      r.put("basePct", pct(d.baselineProportion()));
      r.put("baseCount", d.baselineCount());
      r.put("text", d.describe(c.selectionNoun()));
      rows.add(r);
    }
    m.put("differences", rows);
    List<String> ignored = new ArrayList<>();
    for (Comparison.IgnoredKey k : c.ignoredKeys()) {
      ignored.add(k.key() + " (" + k.reason() + ")");
    }
    m.put("ignored", String.join(", ", ignored));
    return m;
  }

  private static String total(Comparison.Side s) {
    return (s.candidatesCapped() ? "over " : "") + s.candidates();
  }

  private static String pct(double p) {
    return String.format(Locale.ROOT, "%.1f", p * 100);
  }
}
