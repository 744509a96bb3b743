package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.storage.Ids;
import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.Pin;
import dev.sextant.storage.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /ui/traces/{traceId}}: the waterfall shell and the trace's logs. The waterfall itself is
 * drawn by {@code waterfall.js} from {@code /api/traces/{traceId}}, so a 10,000-span trace costs the
 * server one JSON document and the browser only the rows in view.
 */
public final class TracePage extends Page {
  static final int MAX_TRACE_LOGS = 200;
  private final LogReader logs;
  private final Storage storage;

  /** The page over {@code storage}'s logs and pins. */
  public TracePage(Templates templates, Storage storage) {
    super(templates);
    this.logs = storage.logReader();
    this.storage = storage;
  }

  @Override
  HttpResponse render(ServiceRequestContext ctx, Params p) {
    String traceId = traceId(ctx);
    Map<String, Object> scope = Templates.scope("Trace " + traceId, "search");
    scope.put("traceId", traceId);
    LogPage page = logs.search(LogQuery.builder().traceId(traceId).limit(MAX_TRACE_LOGS).build());
    scope.put("logs", LogLines.of(page.records()));
    scope.put("logCount", page.records().size() + (page.hasMore() ? "+" : ""));
    scope.put("moreLogsLink", page.hasMore() ? "/ui/logs?traceId=" + traceId + "&lookback=all"
        : null);
    scope.put("pins", pins(traceId));
    return templates.page(HttpStatus.OK, "trace", scope);
  }

  /** This trace's pins, as the pinned list shows them; none when the store keeps no pins. */
  private List<Map<String, Object>> pins(String traceId) {
    List<Map<String, Object>> out = new ArrayList<>();
    try {
      for (Pin p : storage.pins().list()) {
        if (p.traceId().equals(traceId)) {
          out.add(PinsPage.row(p));
        }
      }
    } catch (UnsupportedOperationException e) {
      // a store without pins: the page shows none
    }
    return out;
  }

  static String traceId(ServiceRequestContext ctx) {
    String id = ctx.pathParam("traceId");
    if (id == null || !Ids.isValidTraceId(id)) {
      throw new IllegalArgumentException("traceId: " + id + " (expected: 32 hex characters)");
    }
    return id.toLowerCase(Locale.ROOT);
  }
}
